using System.Text.Json;

namespace Live.Cluster.Tests;

/// <summary>
/// The split deployments the repository ships (docker-compose.yml and scripts/cluster.sh) run Redis so that a write is
/// acknowledged only once it is on disk (<c>appendonly yes</c>, <c>appendfsync always</c>; issue 11). The crash tests
/// start their own redis-server with those settings, so they would not notice a shipped file that lost them; these read
/// the files' Redis command lines as text.
/// </summary>
public sealed class ShippedRedisSettingsTests
{
    [Fact]
    public void DockerComposeRunsRedisWithAppendfsyncAlways()
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "docker-compose.yml"));

        // The redis service's block: its indented lines up to the next service (comments and blank lines included).
        var service = lines.SkipWhile(l => l != "  redis:").Skip(1).TakeWhile(l => l.Length == 0 || l.StartsWith("    ", StringComparison.Ordinal)).ToList();
        var command = Assert.Single(service, l => l.TrimStart().StartsWith("command:", StringComparison.Ordinal));

        // A YAML flow sequence of quoted strings, as the file writes it, is a JSON array.
        var args = JsonSerializer.Deserialize<string[]>(command.Split("command:", 2)[1].Trim())!;
        Assert.Equal("redis-server", args[0]);
        AssertDurable(args[1..]);
    }

    [Fact]
    public void TheClusterScriptRunsRedisWithAppendfsyncAlways()
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "scripts", "cluster.sh"));

        // The one line that starts redis-server, with its continuation lines (ending in a backslash) joined.
        var start = Assert.Single(Enumerable.Range(0, lines.Length), i => lines[i].TrimStart().StartsWith("redis-server ", StringComparison.Ordinal));
        var commandLine = lines[start];
        for (var i = start + 1; commandLine.TrimEnd().EndsWith('\\'); i++)
        {
            commandLine = commandLine.TrimEnd().TrimEnd('\\') + " " + lines[i];
        }

        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("redis-server", args[0]);
        AssertDurable(args[1..]);
    }

    /// <summary>
    /// Redis' options as <c>--name value</c> pairs, each given once (given twice, Redis takes the last, which a reader of
    /// the first would miss).
    /// </summary>
    private static void AssertDurable(string[] options)
    {
        Assert.True(options.Length % 2 == 0, $"not --name value pairs: {string.Join(' ', options)}");
        var pairs = options.Chunk(2).Select(p => (Name: p[0], Value: p[1])).ToList();
        Assert.All(pairs, p => Assert.StartsWith("--", p.Name));
        Assert.Empty(pairs.GroupBy(p => p.Name).Where(g => g.Count() > 1).Select(g => g.Key));
        var settings = pairs.ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(("yes", "always"), (settings.GetValueOrDefault("--appendonly"), settings.GetValueOrDefault("--appendfsync")));
    }
}
