using System.Text;

namespace Live.HostConsole.Tests.Infrastructure;

/// <summary>Text written by the console, which a test can await: each write wakes the waiters, no polling.</summary>
public sealed class WatchedWriter : TextWriter
{
    private readonly EventProbe<string> _writes = new("console output");

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value) => _writes.Record(value ?? "");

    public string Text => string.Concat(_writes.Items);

    /// <summary>Waits until the text holds <paramref name="fragment"/>; the timeout names it and shows what was written.</summary>
    public async Task WaitForAsync(string fragment, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        try
        {
            await _writes.WaitUntilAsync(writes => string.Concat(writes).Contains(fragment, StringComparison.Ordinal), $"\"{fragment}\"", limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the console did not print \"{fragment}\" within {limit}; it printed:\n{Text}");
        }
    }
}
