using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps when each of the SQLite storage's checkpoints beside the writer ran (its Debug log
/// 6006: the frames it copied and how long it took), as <see cref="TimedWrite"/>s on the <see cref="Stopwatch"/>
/// clock, so that a test can tell whether a slow append fell during one; the writer's slow commits (its Warning
/// log 6009); and the flash sales' snapshots (their Debug log 2003: the copy's time in the grain's turn and the
/// serialization's off it).
/// </summary>
public sealed class SqliteWriterEvents : ILoggerProvider
{
    private readonly ConcurrentQueue<TimedWrite> _checkpoints = new();
    private readonly ConcurrentQueue<string> _slowCommits = new();
    private readonly ConcurrentQueue<string> _saleSnapshots = new();

    public IReadOnlyList<TimedWrite> Checkpoints => _checkpoints.ToArray();

    public IReadOnlyList<string> SlowCommits => _slowCommits.ToArray();

    public IReadOnlyList<string> SaleSnapshots => _saleSnapshots.ToArray();

    public ILogger CreateLogger(string categoryName) => new Recorder(_checkpoints, _slowCommits, _saleSnapshots);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<TimedWrite> checkpoints, ConcurrentQueue<string> slowCommits, ConcurrentQueue<string> saleSnapshots) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 6009)
            {
                slowCommits.Enqueue(formatter(state, exception));
                return;
            }

            if (eventId.Id == 2003)
            {
                saleSnapshots.Enqueue(formatter(state, exception));
                return;
            }

            if (eventId.Id != 6006 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            var ended = Stopwatch.GetTimestamp();
            var took = TimeSpan.FromMilliseconds(Convert.ToDouble(values.First(v => v.Key == "Milliseconds").Value, System.Globalization.CultureInfo.InvariantCulture));
            var frames = Convert.ToInt64(values.First(v => v.Key == "Copied").Value, System.Globalization.CultureInfo.InvariantCulture);
            checkpoints.Enqueue(new TimedWrite(ended - (long)(took.TotalSeconds * Stopwatch.Frequency), took, frames * 4096, TimeSpan.Zero));
        }
    }
}
