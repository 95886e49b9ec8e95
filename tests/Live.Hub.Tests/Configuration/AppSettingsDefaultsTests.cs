using System.Reflection;
using System.Text.Json;
using Live.Contracts.Notifications;
using Live.Grains.FlashSales;
using Live.Grains.Idempotency;
using Live.Grains.Rooms;
using Live.Grains.Sellers;
using Live.Hosting;
using Live.Hosting.Failover;
using Live.Hub.Api;
using Live.Hub.Delivery;
using Live.Hub.Identity;
using Live.Storage;
using Microsoft.Extensions.Configuration;

namespace Live.Hub.Tests.Configuration;

/// <summary>
/// README: "every setting is in appsettings.json with its default". For each options class a process binds, every
/// setting is in its appsettings.json, and binding that file gives exactly the class's defaults: the file an operator
/// reads is the truth, and a default changed in code without the file (or the other way round) fails here.
/// </summary>
public sealed class AppSettingsDefaultsTests
{
    // Settings with no default to show (none, or derived from another setting), or of the other kind of process.
    private static readonly HashSet<string> NotInFile = new(StringComparer.Ordinal)
    {
        "Cluster:PrimarySiloPort", "Cluster:ListenOnAnyAddress", "Cluster:Sqlite:DatabasePath",
        "src/Live.Silo/appsettings.json:Telemetry:ManagementPort", "src/Live.Silo/appsettings.json:Telemetry:ManagementAddress",
    };

    // Where a process ships another default than the class's (README's tables say so).
    private static readonly HashSet<string> Shipped = new(StringComparer.Ordinal)
    {
        "src/Live.Hub/appsettings.json:Telemetry:Dashboard", // on in the hub (the embedded default hosts a silo)
    };

    public static TheoryData<string, string, Type> Sections() => new()
    {
        { "src/Live.Hub/appsettings.json", "Cluster", typeof(LiveClusterOptions) },
        { "src/Live.Hub/appsettings.json", "Cluster:Retry", typeof(GrainCallRetryOptions) },
        { "src/Live.Hub/appsettings.json", "Cluster:Sqlite", typeof(SqliteGrainStorageOptions) },
        { "src/Live.Hub/appsettings.json", "Redis", typeof(LiveRedisOptions) },
        { "src/Live.Hub/appsettings.json", "Telemetry", typeof(LiveTelemetryOptions) },
        { "src/Live.Hub/appsettings.json", "Hub", typeof(LiveHubOptions) },
        { "src/Live.Hub/appsettings.json", "Hub:Outbox", typeof(OutboxOptions) },
        { "src/Live.Hub/appsettings.json", "Hub:FrameBudget", typeof(FrameBudgetOptions) },
        { "src/Live.Hub/appsettings.json", "RateLimits", typeof(RateLimitOptions) },
        { "src/Live.Hub/appsettings.json", "Auth", typeof(LiveAuthOptions) },
        { "src/Live.Hub/appsettings.json", "Api", typeof(RestBodyOptions) },
        { "src/Live.Hub/appsettings.json", "Rooms", typeof(LiveRoomOptions) },
        { "src/Live.Hub/appsettings.json", "FlashSales", typeof(FlashSaleOptions) },
        { "src/Live.Hub/appsettings.json", "Idempotency", typeof(IdempotencyOptions) },
        { "src/Live.Hub/appsettings.json", "RoomDirectory", typeof(RoomDirectoryOptions) },
        { "src/Live.Hub/appsettings.json", "Sellers", typeof(SellerOptions) },
        { "src/Live.Hub/appsettings.json", "Notifications", typeof(NotificationOptions) },
        { "src/Live.Silo/appsettings.json", "Cluster", typeof(LiveClusterOptions) },
        { "src/Live.Silo/appsettings.json", "Cluster:Sqlite", typeof(SqliteGrainStorageOptions) },
        { "src/Live.Silo/appsettings.json", "Redis", typeof(LiveRedisOptions) },
        { "src/Live.Silo/appsettings.json", "Telemetry", typeof(LiveTelemetryOptions) },
        { "src/Live.Silo/appsettings.json", "Rooms", typeof(LiveRoomOptions) },
        { "src/Live.Silo/appsettings.json", "FlashSales", typeof(FlashSaleOptions) },
        { "src/Live.Silo/appsettings.json", "Idempotency", typeof(IdempotencyOptions) },
        { "src/Live.Silo/appsettings.json", "RoomDirectory", typeof(RoomDirectoryOptions) },
        { "src/Live.Silo/appsettings.json", "Sellers", typeof(SellerOptions) },
        { "src/Live.Silo/appsettings.json", "Notifications", typeof(NotificationOptions) },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void EverySettingIsInTheFileWithTheDefaultTheCodeHas(string file, string section, Type options)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(Repo.Root, file), optional: false).Build();
        var bound = Activator.CreateInstance(options)!;
        configuration.GetSection(section).Bind(bound);
        var defaults = Activator.CreateInstance(options)!;

        var missing = Settings(options)
            .Select(p => $"{section}:{p.Name}")
            .Where(key => !NotInFile.Contains(key) && !NotInFile.Contains($"{file}:{key}") && !configuration.GetSection(key).Exists())
            .ToArray();
        Assert.True(missing.Length == 0, $"{file} lacks {string.Join(", ", missing)}");

        var differing = Settings(options)
            .Where(p => !Shipped.Contains($"{file}:{section}:{p.Name}") && Json(p.GetValue(bound)) != Json(p.GetValue(defaults)))
            .Select(p => $"{section}:{p.Name} is {Json(p.GetValue(bound))} in the file, {Json(p.GetValue(defaults))} in {options.Name}")
            .ToArray();
        Assert.True(differing.Length == 0, string.Join("; ", differing));
    }

    /// <summary>The settings: public properties with a public setter, of a type configuration binds as a value.</summary>
    private static IEnumerable<PropertyInfo> Settings(Type options) => options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is { IsPublic: true } && IsValue(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType));

    private static bool IsValue(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(TimeSpan) || (type.IsArray && IsValue(type.GetElementType()!));

    /// <summary>A value as JSON; an empty string and none are the same setting (unset).</summary>
    private static string Json(object? value) => JsonSerializer.Serialize(value is "" ? null : value);
}
