using System.Security.Claims;
using Live.Contracts;
using Live.Hub.Identity;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Hub.Tests.Hub;

/// <summary>
/// The hub's policy check and its caller, per connection: a policy that admitted a connection's user is not asked
/// again on that connection (its user cannot change), a refusal is asked every time, and another connection or
/// another policy is asked afresh. The caller's claims are read once per connection.
/// </summary>
public sealed class HubPolicyFilterTests
{
    private readonly CountingAuthorization _authorization;
    private readonly HubPolicyFilter _filter;
    private readonly ServiceProvider _services;
    private int _invoked;

    public HubPolicyFilterTests()
    {
        _services = new ServiceCollection().AddLogging().AddLivePolicies().BuildServiceProvider();
        _authorization = new CountingAuthorization(_services.GetRequiredService<IAuthorizationService>());
        _filter = new HubPolicyFilter(_authorization, _services.GetRequiredService<IAuthorizationPolicyProvider>());
    }

    [Fact]
    public async Task AnAdmittedPolicyIsCheckedOncePerConnectionAndARefusalEveryTime()
    {
        var viewer = new FakeHubCaller("c1", "viewer-1");

        await InvokeAsync(viewer, nameof(Methods.ForUsers));
        await InvokeAsync(viewer, nameof(Methods.ForUsers));
        Assert.Equal((2, 1), (_invoked, _authorization.Checks));

        var refused = await Assert.ThrowsAsync<LiveException>(() => InvokeAsync(viewer, nameof(Methods.ForHosts)));
        await Assert.ThrowsAsync<LiveException>(() => InvokeAsync(viewer, nameof(Methods.ForHosts)));
        Assert.Equal(ErrorCodes.Forbidden, refused.Code);
        Assert.Equal((2, 3), (_invoked, _authorization.Checks));

        // Another connection of the same user is checked on its own; a host's connection is admitted.
        await InvokeAsync(new FakeHubCaller("c2", "viewer-1"), nameof(Methods.ForUsers));
        var host = new FakeHubCaller("c3", "host-1", Roles.Host);
        await InvokeAsync(host, nameof(Methods.ForHosts));
        await InvokeAsync(host, nameof(Methods.ForHosts));
        Assert.Equal((5, 5), (_invoked, _authorization.Checks));

        // A method without a policy asks nothing.
        await InvokeAsync(viewer, nameof(Methods.ForAnyone));
        Assert.Equal((6, 5), (_invoked, _authorization.Checks));
    }

    [Fact]
    public void TheCallerIsReadOncePerConnection()
    {
        var caller = new FakeHubCaller("c1", "user-1", Roles.Host);

        var first = HubCaller.Require(caller);

        Assert.Equal(("user-1", "Caller user-1", Roles.Host), (first.UserId, first.DisplayName, first.Role));
        Assert.Same(first, HubCaller.Require(caller));
        Assert.NotSame(first, HubCaller.Require(new FakeHubCaller("c2", "user-1", Roles.Host)));
        Assert.Null(HubCaller.From(new AnonymousCaller()));
        Assert.Equal(ErrorCodes.Unauthenticated, Assert.Throws<LiveException>(() => HubCaller.Require(new AnonymousCaller())).Code);
    }

    private async Task InvokeAsync(HubCallerContext caller, string method)
    {
        using var hub = new Methods();
        var context = new HubInvocationContext(caller, _services, hub, typeof(Methods).GetMethod(method)!, []);
        await _filter.InvokeMethodAsync(context, _ =>
        {
            Interlocked.Increment(ref _invoked);
            return ValueTask.FromResult<object?>(null);
        });
    }

    /// <summary>Hub methods marked as the hub's are, for the filter to read.</summary>
    private sealed class Methods : Microsoft.AspNetCore.SignalR.Hub
    {
        [HubPolicy(LivePolicies.User)]
        public void ForUsers()
        {
        }

        [HubPolicy(LivePolicies.Host)]
        public void ForHosts()
        {
        }

        public void ForAnyone()
        {
        }
    }

    /// <summary>The real authorization service, counting how often it is asked.</summary>
    private sealed class CountingAuthorization(IAuthorizationService inner) : IAuthorizationService
    {
        private int _checks;

        public int Checks => _checks;

        public Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, object? resource, IEnumerable<IAuthorizationRequirement> requirements)
        {
            Interlocked.Increment(ref _checks);
            return inner.AuthorizeAsync(user, resource, requirements);
        }

        public Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, object? resource, string policyName)
        {
            Interlocked.Increment(ref _checks);
            return inner.AuthorizeAsync(user, resource, policyName);
        }
    }

    private sealed class AnonymousCaller : HubCallerContext
    {
        public override string ConnectionId => "anonymous";

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User { get; } = new(new ClaimsIdentity());

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }
}
