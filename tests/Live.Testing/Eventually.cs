using System.Diagnostics;

namespace Live.Testing;

/// <summary>
/// Polls something until it holds, within a timeout: the one polling loop of the tests and the load tool. A timeout
/// names what was awaited and the last thing seen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Asks <paramref name="probe"/> until its answer satisfies <paramref name="until"/> and returns that answer; a
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> and the last answer (or error) after
    /// <paramref name="timeout"/>. Errors that <paramref name="retryOn"/> accepts count as "not yet"; others end the wait.
    /// </summary>
    public static async Task<T> GetAsync<T>(
        string what, Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout, TimeSpan? interval = null,
        Func<Exception, bool>? retryOn = null, CancellationToken cancellationToken = default)
    {
        var poll = await PollAsync(probe, until, timeout, interval, retryOn, cancellationToken);
        if (poll.Done)
        {
            return poll.Last!;
        }

        var last = poll.Error is { } error ? $"{error.GetType().Name}: {error.Message}" : $"{poll.Last}";
        throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0.#} s (last: {last})", poll.Error);
    }

    /// <summary>Waits until <paramref name="condition"/> holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public static Task TrueAsync(string what, Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        GetAsync(what, () => Task.FromResult(condition()), done => done, timeout, interval);

    /// <summary>
    /// Asks <paramref name="probe"/> until its answer satisfies <paramref name="until"/> or <paramref name="timeout"/>
    /// has passed, and returns the last answer either way: for a caller that asserts on it (the assertion shows the
    /// difference) or reports it.
    /// </summary>
    public static async Task<T> LastAsync<T>(
        Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        (await PollAsync(probe, until, timeout, interval, retryOn: null, cancellationToken)).Last!;

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> has passed; answers whether it held.</summary>
    public static Task<bool> LastAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        LastAsync(() => Task.FromResult(condition()), done => done, timeout, interval);

    private static async Task<(bool Done, T? Last, Exception? Error)> PollAsync<T>(
        Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout, TimeSpan? interval, Func<Exception, bool>? retryOn, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        T? last = default;
        while (true)
        {
            Exception? error = null;
            try
            {
                last = await probe();
                if (until(last))
                {
                    return (true, last, null);
                }
            }
            catch (Exception e) when (retryOn?.Invoke(e) == true)
            {
                error = e;
            }

            if (elapsed.Elapsed >= timeout)
            {
                return (false, last, error);
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken);
        }
    }
}
