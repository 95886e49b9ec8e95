using Live.Testing;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>What a client does after a failed write: retries the same call until a reloaded activation answers it.</summary>
public static class Reloads
{
    /// <summary>
    /// Calls until the answer is not a storage failure: an injected fault, or an activation refusing calls because
    /// its write failed ("reloading").
    /// </summary>
    public static Task<T> RetryAsync<T>(string what, Func<Task<T>> call) =>
        Eventually.GetAsync(what, call, _ => true, ClusterFixture.CallTimeout, TimeSpan.FromMilliseconds(20), IsStorageFailure);

    public static Task RetryAsync(string what, Func<Task> call) =>
        RetryAsync(what, async () =>
        {
            await call();
            return true;
        });

    /// <summary>Asserts the call failed because of a storage fault (Orleans wraps the provider's exception).</summary>
    public static async Task FailsOnStorageAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(call);
        Assert.True(IsStorageFailure(error), $"not a storage failure: {error}");
    }

    public static bool IsStorageFailure(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("reloading its state", StringComparison.Ordinal)
                || e.Message.Contains("injected storage fault", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
