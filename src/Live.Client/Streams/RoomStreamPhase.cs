namespace Live.Client.Streams;

public enum RoomStreamPhase
{
    /// <summary>Waiting for the answer of <c>JoinRoom</c> or of a resume after a reconnect: live events are buffered.</summary>
    Waiting,

    /// <summary>Delivering live events in order, dropping duplicates.</summary>
    Live,

    /// <summary>A gap was seen and <c>ResumeRoom</c> asked for: live events are buffered until its answer.</summary>
    Resuming,
}
