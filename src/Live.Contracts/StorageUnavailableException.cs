namespace Live.Contracts;

/// <summary>
/// A grain could not reach its storage for the moment (Redis restarting, a connection lost, a timeout, a locked
/// database), or is reloading its state after such a failure: nothing is known to have been done, and the same call may
/// be sent again. The hub answers it <see cref="ErrorCodes.Unavailable"/> (REST 503). Carries the cause's type and
/// message in its own message, not as an inner exception: a storage client's exceptions have no Orleans codec.
/// </summary>
[GenerateSerializer, Alias("live.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string message) : base(message)
    {
    }
}
