using System.Collections.Concurrent;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// The silo's reminder table with chosen registrations failing, as a reminder table out of reach does: the test arms
/// <see cref="FailNextUpserts"/> for a grain, and every registration attempt of that grain is counted.
/// </summary>
public sealed class FaultInjectingReminderTable(IReminderTable inner) : IReminderTable
{
    private readonly ConcurrentDictionary<GrainId, int> _failing = new();
    private readonly ConcurrentDictionary<GrainId, int> _attempts = new();

    /// <summary>The next <paramref name="count"/> registrations (upserts) of <paramref name="grainId"/>'s reminders fail.</summary>
    public void FailNextUpserts(GrainId grainId, int count) => _failing[grainId] = count;

    /// <summary>How many registrations of <paramref name="grainId"/>'s reminders were attempted, failed ones included.</summary>
    public int UpsertAttempts(GrainId grainId) => _attempts.GetValueOrDefault(grainId);

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        _attempts.AddOrUpdate(entry.GrainId, 1, (_, n) => n + 1);
        var failing = false;
        _failing.AddOrUpdate(entry.GrainId, 0, (_, n) =>
        {
            failing = n > 0;
            return Math.Max(0, n - 1);
        });
        return failing
            ? Task.FromException<string?>(new TimeoutException($"reminder table out of reach (injected) for {entry.GrainId}"))
            : inner.UpsertRow(entry);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => inner.RemoveRow(grainId, reminderName, eTag);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}
