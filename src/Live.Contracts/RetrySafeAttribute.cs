namespace Live.Contracts;

/// <summary>
/// Marks a grain method that is safe to send again when a first attempt's outcome is unknown (its silo died under it,
/// its answer was lost): a second delivery answers as the first and changes nothing more, because the call carries
/// its own identity (a request id, an idempotency key, the id of the thing it creates). Hub servers retry these, and
/// the <c>[ReadOnly]</c> ones, across a silo's loss; any other write that fails that way answers <c>unavailable</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RetrySafeAttribute : Attribute;
