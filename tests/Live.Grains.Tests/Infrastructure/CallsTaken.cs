using System.Collections.Concurrent;
using Live.Testing;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// Counts the grain calls the test silo has taken in (entered the grain), by grain key, method and request id, so a
/// test can wait until a call it sent is inside the grain: calls a client sends from separate tasks may reach a grain
/// in any order, so "a later call came back" does not prove an earlier one arrived.
/// </summary>
public sealed class CallsTaken : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private volatile Func<IIncomingGrainCallContext, bool>? _refused;

    /// <summary>
    /// Until disposed, the calls <paramref name="refuse"/> matches fail before they reach the grain, as a call to a silo
    /// that died would (a <see cref="TimeoutException"/>).
    /// </summary>
    public IDisposable Refuse(Func<IIncomingGrainCallContext, bool> refuse)
    {
        _refused = refuse;
        return new Restore(() => _refused = null);
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (_refused?.Invoke(context) == true)
        {
            throw new TimeoutException($"injected call fault: {context.InterfaceMethod.Name} refused");
        }

        var key = Key(context.TargetId.Key.ToString()!, context.InterfaceMethod.Name, RequestId(context));
        _counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        return context.Invoke();
    }

    /// <summary>How many calls of <paramref name="method"/> with <paramref name="requestId"/> the grain has taken in.</summary>
    public int Count(string grainKey, string method, string requestId) =>
        _counts.TryGetValue(Key(grainKey, method, requestId), out var n) ? n : 0;

    /// <summary>Waits until the grain has taken in <paramref name="count"/> such calls; a <see cref="TimeoutException"/> otherwise.</summary>
    public async Task WaitForAsync(string grainKey, string method, string requestId, int count, string what)
    {
        var seen = await Eventually.LastAsync(() => Task.FromResult(Count(grainKey, method, requestId)), n => n >= count, TimeSpan.FromSeconds(10));
        if (seen < count)
        {
            throw new TimeoutException($"{what}: the grain took in {seen} of {count} calls");
        }
    }

    // The last string argument of the call stands for its request id (BuyNow, Checkout); calls without one count under "".
    private static string RequestId(IIncomingGrainCallContext context)
    {
        var request = context.Request;
        for (var i = request.GetArgumentCount() - 1; i >= 0; i--)
        {
            if (request.GetArgument(i) is string s)
            {
                return s;
            }
        }

        return "";
    }

    private static string Key(string grainKey, string method, string requestId) => $"{grainKey}\n{method}\n{requestId}";

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
