using Spectre.Console;

namespace Live.HostConsole.Tests.Infrastructure;

/// <summary>One host-console command line run in process against a server, with what it printed.</summary>
public sealed record ConsoleResult(int ExitCode, string Output, string Error)
{
    public static Task<ConsoleResult> RunAsync(Uri server, params string[] args) =>
        RunWithEnvironmentAsync(_ => null, ["--server", server.ToString(), .. args]);

    /// <summary>A command line run with <paramref name="environment"/> as its environment variables.</summary>
    public static async Task<ConsoleResult> RunWithEnvironmentAsync(Func<string, string?> environment, params string[] args)
    {
        var output = new WatchedWriter();
        var error = new WatchedWriter();
        int code;
        try
        {
            code = await Cli(output, error, environment).RunAsync(args).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"`{string.Join(' ', args)}` did not finish within 30 s; it printed:\n{output.Text}\n{error.Text}");
        }

        return new ConsoleResult(code, output.Text.Trim(), error.Text.Trim());
    }

    /// <summary>The console as a redirected terminal would give it: no ANSI, not interactive, no environment unless given.</summary>
    public static HostCli Cli(TextWriter output, TextWriter error, Func<string, string?>? environment = null) =>
        new(output, error, AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        }), environment ?? (_ => null));
}
