namespace Live.Hub.Identity;

/// <summary>
/// Declares the <see cref="LivePolicies"/> policy a hub method needs; <see cref="Realtime.HubPolicyFilter"/> checks it
/// before the method runs and refuses with the protocol's code (SignalR's own <c>[Authorize]</c> would refuse with a
/// sentence of its own, without one).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class HubPolicyAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}
