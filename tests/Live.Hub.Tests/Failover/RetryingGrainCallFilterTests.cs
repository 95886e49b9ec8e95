using System.Reflection;
using Live.Hosting.Failover;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;

namespace Live.Hub.Tests.Failover;

/// <summary>
/// The hub server's retry filter across a silo's loss, on a fake clock: what goes out when, after a lost gateway.
/// The clock is advanced in 100 ms steps and only up to 4 s, below the 5 s attempt timeout: a call that needs the
/// attempt timeout to move on does not finish here.
/// </summary>
public sealed class RetryingGrainCallFilterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly GatewayLoss _loss = new();

    [Fact]
    public async Task ARetrySafeCallWhoseResentAttemptIsRejectedRetriesAfterTheBackOffNotTheAttemptTimeout()
    {
        // Attempt 1 sits on the connection to the silo that died; attempt 2 (sent when the gateway is lost) is
        // rejected because the grain's silo is not yet declared dead; attempt 3 reaches the grain's new activation.
        var grain = new ScriptedGrain(attempt => attempt switch
        {
            1 => new TaskCompletionSource<int>().Task,
            2 => Task.FromException<int>(new SiloUnavailableException("the target silo became unavailable")),
            _ => Task.FromResult(42),
        });
        var context = Context(grain, nameof(IScriptedGrain.ReadAsync));

        var call = Filter().Invoke(context);
        await Until(() => grain.Calls == 1);
        _loss.GatewayCountChanged(connected: 1, previouslyConnected: 2);
        await Until(() => grain.Calls == 2);

        await AdvanceUntilDoneAsync(call);

        Assert.True(call.IsCompletedSuccessfully, $"not answered within 4 s of the clock ({grain.Calls} attempts)");
        Assert.Equal(42, context.Result);
        Assert.Equal(3, grain.Calls);
    }

    [Fact]
    public async Task ACallThatIsNotRetrySafeInFlightOnALostGatewayAnswersAfterTheGraceNotTheAttemptTimeout()
    {
        var grain = new ScriptedGrain(_ => new TaskCompletionSource<int>().Task);
        var context = Context(grain, nameof(IScriptedGrain.WriteAsync), invoke: () => new TaskCompletionSource<int>().Task);

        var call = Filter().Invoke(context);
        await Task.Delay(50);
        _loss.GatewayCountChanged(connected: 1, previouslyConnected: 2);

        await AdvanceUntilDoneAsync(call);

        Assert.True(call.IsCompleted, "still waiting after 4 s of the clock");
        await Assert.ThrowsAsync<TimeoutException>(() => call);
    }

    private RetryingGrainCallFilter Filter() =>
        new(new GrainCallRetryPolicy(new GrainCallRetryOptions()), _loss, _time, NullLogger<RetryingGrainCallFilter>.Instance);

    /// <summary>Moves the clock 100 ms at a time, up to 4 s, letting the filter's continuations run between steps.</summary>
    private async Task AdvanceUntilDoneAsync(Task call)
    {
        for (var step = 0; step < 40 && !call.IsCompleted; step++)
        {
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await Task.WhenAny(call, Task.Delay(500));
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static IOutgoingGrainCallContext Context(ScriptedGrain grain, string method, Func<Task>? invoke = null)
    {
        var request = DispatchProxy.Create<IInvokable, Fake>();
        ((Fake)(object)request).Handle = (m, args) => m.Name switch
        {
            nameof(IInvokable.GetArgumentCount) => 1,
            nameof(IInvokable.GetArgument) => 7,
            _ => throw new NotSupportedException(m.Name),
        };

        object? result = null;
        var context = DispatchProxy.Create<IOutgoingGrainCallContext, Fake>();
        ((Fake)(object)context).Handle = (m, args) => m.Name switch
        {
            "get_Grain" => grain,
            "get_InterfaceMethod" => typeof(IScriptedGrain).GetMethod(method),
            "get_InterfaceName" => nameof(IScriptedGrain),
            "get_MethodName" => method,
            "get_Request" => request,
            "get_Result" => result,
            "set_Result" => result = args![0],
            nameof(IOutgoingGrainCallContext.Invoke) => invoke?.Invoke() ?? throw new NotSupportedException("retry-safe attempts call the grain"),
            _ => throw new NotSupportedException(m.Name),
        };
        return context;
    }

    public interface IScriptedGrain
    {
        [ReadOnly]
        Task<int> ReadAsync(int x);

        Task<int> WriteAsync(int x);
    }

    private sealed class ScriptedGrain(Func<int, Task<int>> attempt) : IScriptedGrain
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<int> ReadAsync(int x) => attempt(Interlocked.Increment(ref _calls));

        public Task<int> WriteAsync(int x) => attempt(Interlocked.Increment(ref _calls));
    }

    public class Fake : DispatchProxy
    {
        public Func<MethodInfo, object?[]?, object?> Handle { get; set; } = (m, _) => throw new NotSupportedException(m.Name);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Handle(targetMethod!, args);
    }
}
