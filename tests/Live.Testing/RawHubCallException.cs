namespace Live.Testing;

/// <summary>A hub call's error answer to a <see cref="RawHubClient"/>, as the server sent it.</summary>
public sealed class RawHubCallException(string message) : Exception(message);
