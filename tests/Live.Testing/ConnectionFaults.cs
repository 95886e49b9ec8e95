using System.Collections.Concurrent;
using Live.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Testing;

/// <summary>
/// Server-side network faults for reconnect tests (the web viewer's, the .NET client's): drops a user's live hub connections (the server aborts the
/// socket, as a crashed proxy or a lost phone signal would look to the browser) and refuses new hub requests while
/// blocked, so a client's reconnect attempts really fail until the outage ends.
/// </summary>
public sealed class ConnectionFaults : IHubFilter
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private readonly ConcurrentDictionary<string, AnswerFault> _answerFaults = new();
    private readonly ConcurrentDictionary<string, int> _invocations = new();
    private volatile bool _blocked;

    public bool Blocked => _blocked;

    /// <summary>Adds the fault injector to a server being built (see <c>LiveServer.StartAsync</c>'s configure hook).</summary>
    public void AddTo(WebApplicationBuilder builder)
    {
        builder.Services.Configure<HubOptions>(o => o.AddFilter(this));
        builder.Services.AddSingleton<IStartupFilter>(new Gate(this));
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        _connections[context.Context.ConnectionId] = context.Context;
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _connections.TryRemove(context.Context.ConnectionId, out _);
        return next(context, exception);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var key = Key(invocationContext.Context.UserIdentifier, invocationContext.HubMethodName);
        _invocations.AddOrUpdate(key, 1, (_, n) => n + 1);
        var result = await next(invocationContext);
        switch (_answerFaults.TryRemove(key, out var fault) ? fault : (AnswerFault?)null)
        {
            case AnswerFault.Unavailable:
                // Answered as a grain's storage out of reach is (the hub's filter makes it unavailable): the call may
                // have happened, and here it did.
                throw new Live.Contracts.StorageUnavailableException("the answer was lost (a test's fault)");
            case AnswerFault.Unexpected:
                // Not one of the protocol's refusals: the hub's filter lets it through, and SignalR answers its own
                // code-less "An unexpected error occurred invoking ..." (a server's bug, or a fault nobody mapped).
                throw new InvalidOperationException("the server failed (a test's fault)");
            case AnswerFault.Lost:
                // The call has run; its answer goes after this returns, to a connection that is already gone.
                (invocationContext.Context.GetHttpContext() ?? throw new InvalidOperationException("hub connection without an HTTP context")).Abort();
                break;
        }

        return result;
    }

    /// <summary>
    /// The next call of <paramref name="method"/> by <paramref name="userId"/> that the hub method answers (a refusal
    /// does not count) runs, and then its connection drops before the answer.
    /// </summary>
    public void LoseNextAnswer(string userId, string method) => _answerFaults[Key(userId, method)] = AnswerFault.Lost;

    /// <summary>
    /// The next call of <paramref name="method"/> by <paramref name="userId"/> that the hub method answers runs, and is
    /// answered <c>unavailable</c> instead (PROTOCOL: it may or may not have happened; here it did).
    /// </summary>
    public void AnswerNextUnavailable(string userId, string method) => _answerFaults[Key(userId, method)] = AnswerFault.Unavailable;

    /// <summary>
    /// The next call of <paramref name="method"/> by <paramref name="userId"/> that the hub method answers runs, and is
    /// answered with SignalR's code-less error instead, as an exception the server did not expect is.
    /// </summary>
    public void AnswerNextUnexpectedError(string userId, string method) => _answerFaults[Key(userId, method)] = AnswerFault.Unexpected;

    /// <summary>
    /// How many calls of <paramref name="method"/> by <paramref name="userId"/> reached the hub's filters after the
    /// policy check (each attempt counts; a call refused for its caller's role does not).
    /// </summary>
    public int Invocations(string userId, string method) => _invocations.GetValueOrDefault(Key(userId, method));

    private static string Key(string? userId, string method) => $"{userId}\n{method}";

    /// <summary>
    /// Cuts the sockets of every hub connection of <paramref name="userId"/>; answers how many there were.
    /// Not <c>HubCallerContext.Abort()</c>: that is a kick, which tells the client not to reconnect. Aborting the
    /// HTTP connection under the hub is what a network drop looks like: the socket dies with no close message.
    /// </summary>
    /// <remarks>
    /// A client's start completes with the handshake, which SignalR answers before it runs the hub's
    /// <c>OnConnectedAsync</c> (where this registers the connection): it first waits, a few seconds at most, until the
    /// user has at least one connection registered, so a test that drops right after connecting drops it.
    /// </remarks>
    public async Task<int> DropAsync(string userId)
    {
        await Eventually.LastAsync(() => Of(userId).Any(), TimeSpan.FromSeconds(10));
        var dropped = 0;
        foreach (var connection in Of(userId))
        {
            var http = connection.GetHttpContext() ?? throw new InvalidOperationException("hub connection without an HTTP context");
            http.Abort();
            dropped++;
        }

        return dropped;
    }

    private IEnumerable<HubCallerContext> Of(string userId) => _connections.Values.Where(c => c.UserIdentifier == userId).ToArray();

    /// <summary>From now on every new request to the hub (negotiate, connect) answers 503.</summary>
    public void Block() => _blocked = true;

    public void Unblock() => _blocked = false;

    private sealed class Gate(ConnectionFaults faults) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (faults.Blocked && context.Request.Path.StartsWithSegments(LiveHubExtensions.HubPath))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>What happens to the answer of a call chosen with <see cref="LoseNextAnswer"/>, <see cref="AnswerNextUnavailable"/> or <see cref="AnswerNextUnexpectedError"/>.</summary>
    private enum AnswerFault
    {
        Lost,
        Unavailable,
        Unexpected,
    }
}
