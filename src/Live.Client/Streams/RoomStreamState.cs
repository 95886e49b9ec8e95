using Live.Client.Models;

namespace Live.Client.Streams;

/// <summary>
/// The ordering rules of one room's event stream on the client (PROTOCOL.md, v1.3), with no I/O: the newest seq seen
/// and its epoch; live events before the join or resume answer are buffered; an event at or below the newest seq is a
/// duplicate and dropped; an event more than one above it is a gap, which asks for <c>ResumeRoom</c> and buffers
/// what follows until the answer; a resume answer delivers its events (folded latest-value events may skip seqs
/// there) or, when it could not resume, starts again from its snapshot. A snapshot without <c>seq</c> (a server
/// without the event stream) turns the rules off: everything is delivered as it comes and a reconnect joins again.
/// Not thread-safe: its owner serializes the calls.
/// </summary>
public sealed class RoomStreamState(int maxBuffered = RoomStreamState.DefaultMaxBuffered)
{
    /// <summary>How many live events wait for an answer at most; past it the oldest go (a gap the next answer closes).</summary>
    public const int DefaultMaxBuffered = 10_000;

    private readonly List<RoomStreamItem> _buffer = [];

    public RoomStreamPhase Phase { get; private set; } = RoomStreamPhase.Waiting;

    /// <summary>The room's epoch of the newest answer; null before one, or from a server without the event stream.</summary>
    public string? Epoch { get; private set; }

    /// <summary>The newest seq delivered (or reflected by the snapshot); null while unsequenced.</summary>
    public long? Seq { get; private set; }

    /// <summary>Whether the server numbers this room's events (its snapshot carried a seq).</summary>
    public bool Sequenced => Epoch is not null && Seq is not null;

    /// <summary>Where a reconnect resumes from; null when it must join again (nothing answered yet, or unsequenced).</summary>
    public ResumePoint? ResumePoint => Sequenced ? new ResumePoint(Epoch!, Seq!.Value) : null;

    public long Duplicates { get; private set; }

    public long Gaps { get; private set; }

    public long Resets { get; private set; }

    public long Overflowed { get; private set; }

    public int Buffered => _buffer.Count;

    /// <summary>Live events, in the order the connection gave them.</summary>
    public RoomStreamStep Offer(IEnumerable<RoomStreamItem> items)
    {
        if (Phase != RoomStreamPhase.Live)
        {
            foreach (var item in items)
            {
                Buffer(item);
            }

            return RoomStreamStep.None;
        }

        var pending = items as IReadOnlyList<RoomStreamItem> ?? items.ToList();
        return Continue(pending, new List<RoomStreamItem>(pending.Count));
    }

    public RoomStreamStep Offer(RoomStreamItem item) => Offer([item]);

    /// <summary>
    /// <c>JoinRoom</c>'s answer, or the snapshot of a resume that could not resume: the application starts again from
    /// it (delivered first, as a <see cref="RoomStreamItem.Snapshot"/> item), then the buffered live events after it.
    /// </summary>
    public RoomStreamStep Snapshot(RoomSnapshot snapshot)
    {
        Epoch = snapshot.Epoch;
        Seq = snapshot.Seq;
        Resets++;
        Phase = RoomStreamPhase.Live;
        return Drain([new RoomStreamItem(RoomStreamItem.Snapshot, snapshot.Seq, snapshot)]);
    }

    /// <summary><c>ResumeRoom</c>'s answer.</summary>
    public RoomStreamStep Resume(RoomResume answer)
    {
        if (!answer.Resumed)
        {
            var snapshot = answer.Snapshot ?? throw new InvalidDataException("a resume answer with neither events nor snapshot");
            return Snapshot(snapshot with { Epoch = snapshot.Epoch ?? answer.Epoch, Seq = snapshot.Seq ?? answer.Seq });
        }

        var deliver = new List<RoomStreamItem>();
        foreach (var item in (answer.Events ?? []).SelectMany(RoomEventDecoder.Items))
        {
            // Folded latest-value events skip seqs inside an answer: no gap is looked for here, only duplicates.
            if (item.Seq is { } seq && Seq is { } newest && seq <= newest)
            {
                Duplicates++;
                continue;
            }

            deliver.Add(item);
            Seq = item.Seq ?? Seq;
        }

        Epoch = answer.Epoch ?? Epoch;
        Seq = Math.Max(Seq ?? answer.Seq, answer.Seq);
        Phase = RoomStreamPhase.Live;
        return Drain(deliver);
    }

    /// <summary>
    /// A resume for a gap was refused (an error, not a lost connection): give the gap up and deliver what waits, so the
    /// room does not stall; the next gap asks again.
    /// </summary>
    public RoomStreamStep ResumeFailed()
    {
        if (Phase != RoomStreamPhase.Resuming)
        {
            return RoomStreamStep.None;
        }

        Phase = RoomStreamPhase.Live;
        var pending = TakeBuffer();
        if (Seq is { } newest && pending.FirstOrDefault(p => p.Seq > newest)?.Seq is { } first)
        {
            // Accept the gap: continue from just before the first new event that waits (duplicates at or below the
            // newest seq, which a timed-out push sends again, are still dropped as such).
            Seq = first - 1;
        }

        return Continue(pending, []);
    }

    /// <summary>Starts from where an earlier session of the room stood (its last epoch and seq), before the first resume.</summary>
    public void StartFrom(ResumePoint point)
    {
        Epoch = point.Epoch;
        Seq = point.Seq;
    }

    /// <summary>
    /// The application asks to catch up (an event it could not place, a long silence): true when the caller should now
    /// call <c>ResumeRoom</c> from <see cref="ResumePoint"/> (or <c>JoinRoom</c> when it is null); false while an answer
    /// is already awaited, which will cover it.
    /// </summary>
    public bool BeginResync()
    {
        if (Phase != RoomStreamPhase.Live)
        {
            return false;
        }

        Phase = RoomStreamPhase.Resuming;
        return true;
    }

    /// <summary>
    /// The room's heartbeat (v1.5): where its stream stands. True when the caller should now call <c>ResumeRoom</c> from
    /// <see cref="ResumePoint"/>: the room has sent events this client has not (its last ones were lost, and nothing
    /// after them showed the gap), or is in another epoch. Counted as a gap. False while an answer is awaited, before
    /// the stream is positioned, and when nothing is missing.
    /// </summary>
    public bool Heartbeat(string epoch, long seq)
    {
        if (Phase != RoomStreamPhase.Live || !Sequenced || epoch == Epoch && seq <= Seq)
        {
            return false;
        }

        Gaps++;
        Phase = RoomStreamPhase.Resuming;
        return true;
    }

    /// <summary>The connection dropped: buffer whatever comes until the reconnect's answer.</summary>
    public void ConnectionLost() => Phase = RoomStreamPhase.Waiting;

    private RoomStreamStep Drain(List<RoomStreamItem> deliver) => Continue(TakeBuffer(), deliver);

    private List<RoomStreamItem> TakeBuffer()
    {
        // Stable by seq: items of one connection come in order; across a reconnect the old ones go first.
        var pending = _buffer.Select((item, index) => (item, index)).OrderBy(p => p.item.Seq ?? long.MinValue).ThenBy(p => p.index).Select(p => p.item).ToList();
        _buffer.Clear();
        return pending;
    }

    private RoomStreamStep Continue(IReadOnlyList<RoomStreamItem> pending, List<RoomStreamItem> deliver)
    {
        for (var i = 0; i < pending.Count; i++)
        {
            var item = pending[i];
            if (item.Seq is not { } seq || Seq is not { } newest)
            {
                // Unsequenced (a server without the event stream): as it comes.
                deliver.Add(item);
                continue;
            }

            if (seq <= newest)
            {
                Duplicates++;
                continue;
            }

            if (seq > newest + 1 && Epoch is not null)
            {
                Gaps++;
                Phase = RoomStreamPhase.Resuming;
                for (var j = i; j < pending.Count; j++)
                {
                    Buffer(pending[j]);
                }

                return new RoomStreamStep(deliver, ResumePoint);
            }

            deliver.Add(item);
            Seq = seq;
        }

        return deliver.Count == 0 ? RoomStreamStep.None : new RoomStreamStep(deliver, null);
    }

    private void Buffer(RoomStreamItem item)
    {
        _buffer.Add(item);
        if (_buffer.Count > maxBuffered)
        {
            _buffer.RemoveAt(0);
            Overflowed++;
        }
    }
}
