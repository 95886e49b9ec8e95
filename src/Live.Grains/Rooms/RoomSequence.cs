namespace Live.Grains.Rooms;

/// <summary>
/// Numbers the events a room sends (PROTOCOL v1.3's <c>seq</c>): one after the other, no holes, and above every number
/// any earlier activation of the room may have used, without a storage write per event (hi/lo: the room stores a
/// ceiling a block above what it uses and numbers freely below it; a new activation starts at the stored ceiling).
/// An activation is one <see cref="Epoch"/>: its retained history lives in its memory, so a new one is a new epoch.
/// </summary>
/// <remarks>Not thread-safe: one grain activation's, whose turns never overlap.</remarks>
internal sealed class RoomSequence
{
    private readonly int _block;

    /// <param name="storedCeiling">The ceiling the room's state holds (0 for a room that never numbered anything).</param>
    /// <param name="block">How many numbers one reservation adds.</param>
    /// <param name="epoch">This activation's epoch.</param>
    public RoomSequence(long storedCeiling, int block, string epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(storedCeiling);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        _block = block;
        Epoch = epoch;
        Last = storedCeiling;
        Durable = storedCeiling;
    }

    /// <summary>
    /// The sequence of an earlier activation carried on (<see cref="RetainedHandoff"/>): the same epoch, numbering from
    /// just after <paramref name="last"/>, which that activation used last, under the stored ceiling.
    /// </summary>
    public RoomSequence(long storedCeiling, int block, string epoch, long last)
        : this(storedCeiling, block, epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, storedCeiling);
        Last = last;
    }

    public string Epoch { get; }

    /// <summary>The last number used (the stored ceiling until this activation numbers its first event).</summary>
    public long Last { get; private set; }

    /// <summary>The ceiling known to be stored: numbers up to it may be used.</summary>
    public long Durable { get; private set; }

    /// <summary>Whether numbering <paramref name="count"/> more events needs a higher ceiling stored first.</summary>
    public bool MustReserve(int count) => Last + count > Durable;

    /// <summary>
    /// The ceiling to store with the next write: higher than the stored one once half a block is used (so that the
    /// room's ordinary writes keep it ahead), and high enough for <paramref name="count"/> more events.
    /// </summary>
    public long CeilingToStore(int count = 0) =>
        Last + count > Durable - _block / 2 ? Last + count + _block : Durable;

    /// <summary>A write that stored <paramref name="ceiling"/> succeeded.</summary>
    public void Stored(long ceiling) => Durable = Math.Max(Durable, ceiling);

    /// <summary>The next number; the ceiling must be stored above it first (<see cref="MustReserve"/>).</summary>
    public long Next()
    {
        if (Last + 1 > Durable)
        {
            throw new InvalidOperationException($"event number {Last + 1} is above the stored ceiling {Durable}");
        }

        return ++Last;
    }
}
