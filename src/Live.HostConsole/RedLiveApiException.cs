namespace Live.HostConsole;

/// <summary>A refusal from the server: its problem details' <c>type</c> (the PROTOCOL.md code) and <c>detail</c>.</summary>
public sealed class RedLiveApiException(string code, string detail, int status) : Exception($"{code}: {detail}")
{
    public string Code { get; } = code;

    public string Detail { get; } = detail;

    public int Status { get; } = status;
}
