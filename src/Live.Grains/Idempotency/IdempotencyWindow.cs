namespace Live.Grains.Idempotency;

/// <summary>
/// Keeps a grain's answered request ids for <see cref="IdempotencyOptions.Window"/> and then drops them: the answers
/// sit in one map and their answer times in a parallel one (answeredAt), which older stored states
/// do not have.
/// </summary>
internal static class IdempotencyWindow
{
    /// <summary>
    /// Gives every answer without a time (stored before times were kept) the time <paramref name="now"/>, so that
    /// nothing is dropped before a whole window has passed since this load; and forgets times with no answer.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public static bool Backfill<TAnswer>(
        IReadOnlyDictionary<string, TAnswer> answers, Dictionary<string, DateTimeOffset> answeredAt, DateTimeOffset now)
    {
        var changed = false;
        foreach (var key in answers.Keys)
        {
            changed |= answeredAt.TryAdd(key, now);
        }

        foreach (var key in answeredAt.Keys.Where(k => !answers.ContainsKey(k)).ToArray())
        {
            answeredAt.Remove(key);
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// Drops the answers given more than <paramref name="window"/> before <paramref name="now"/>, except those
    /// <paramref name="keep"/> holds on to.
    /// </summary>
    /// <returns>How many were dropped, and when the oldest kept answer falls due (null when none is kept).</returns>
    public static (int Dropped, DateTimeOffset? NextDue) Compact<TAnswer>(
        Dictionary<string, TAnswer> answers,
        Dictionary<string, DateTimeOffset> answeredAt,
        TimeSpan window,
        DateTimeOffset now,
        Func<string, bool>? keep = null)
    {
        var dropped = 0;
        DateTimeOffset? nextDue = null;
        foreach (var (key, at) in answeredAt.ToArray())
        {
            if (now - at > window && keep?.Invoke(key) != true)
            {
                answers.Remove(key);
                answeredAt.Remove(key);
                dropped++;
            }
            else if (nextDue is null || at + window < nextDue)
            {
                nextDue = at + window;
            }
        }

        return (dropped, nextDue);
    }
}
