namespace Live.Grains;

/// <summary>
/// The call filter of grains keyed by ids that clients choose (room, product, flash sale, seller): an id that still
/// holds nothing after a call (unknown, or a creation that was refused) leaves no activation behind, so random ids cost
/// calls, not memory.
/// </summary>
internal static class UnknownIds
{
    public static async Task InvokeAsync(IIncomingGrainCallContext context, Func<bool> holdsNothing, Action deactivate)
    {
        try
        {
            await context.Invoke();
        }
        finally
        {
            if (holdsNothing())
            {
                deactivate();
            }
        }
    }
}
