namespace Live.Grains.Rooms;

/// <summary>What deleting a chat message found.</summary>
internal enum ChatDeletion
{
    NotFound,

    /// <summary>The message had not gone out yet: no viewer saw it, so nobody needs telling.</summary>
    Pending,

    /// <summary>The message went out in a batch: viewers must be told to drop it.</summary>
    Published,

    /// <summary>
    /// One of the last deletions (the same deletion sent again, or by another moderator): gone already, nobody to tell.
    /// </summary>
    AlreadyDeleted,
}
