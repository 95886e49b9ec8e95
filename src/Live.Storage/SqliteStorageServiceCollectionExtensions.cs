using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Live.Storage;

public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteGrainStorage"/> as the grain storage named <paramref name="name"/>, in the silo's
    /// registered <see cref="IGrainStorageSerializer"/>. It opens its file when the silo starts and closes it when the
    /// silo stops, after the grains have written their last state.
    /// </summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, SqliteGrainStorageOptions options) =>
        services.AddGrainStorage(name, (sp, n) => new SqliteGrainStorage(
            n, options, sp.GetRequiredService<IGrainStorageSerializer>(), sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
}
