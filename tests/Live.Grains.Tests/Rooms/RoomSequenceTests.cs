using Live.Grains.Rooms;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomSequenceTests
{
    [Fact]
    public void ASequenceCarriedOnNumbersFromJustAfterItsLastUnderTheStoredCeiling()
    {
        var sequence = new RoomSequence(storedCeiling: 120, block: 100, epoch: "ep-1", last: 57);

        Assert.Equal("ep-1", sequence.Epoch);
        Assert.False(sequence.MustReserve(1));
        Assert.Equal(58, sequence.Next());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoomSequence(storedCeiling: 50, block: 100, epoch: "ep-1", last: 57));
    }

    [Fact]
    public void ANewRoomReservesABlockBeforeItsFirstNumber()
    {
        var sequence = new RoomSequence(storedCeiling: 0, block: 100, epoch: "ep-1");

        Assert.Equal(0, sequence.Last);
        Assert.True(sequence.MustReserve(1));
        Assert.Throws<InvalidOperationException>(() => sequence.Next());

        var ceiling = sequence.CeilingToStore(1);
        Assert.Equal(101, ceiling);
        sequence.Stored(ceiling);

        Assert.False(sequence.MustReserve(1));
        Assert.Equal([1, 2, 3], new[] { sequence.Next(), sequence.Next(), sequence.Next() });
    }

    [Fact]
    public void NumbersRunWithoutHolesUpToTheStoredCeilingAndNoFurther()
    {
        var sequence = new RoomSequence(storedCeiling: 0, block: 10, epoch: "ep-1");
        sequence.Stored(sequence.CeilingToStore(1));
        var numbers = new List<long>();
        while (!sequence.MustReserve(1))
        {
            numbers.Add(sequence.Next());
        }

        Assert.Equal(Enumerable.Range(1, 11).Select(n => (long)n), numbers);
        Assert.Throws<InvalidOperationException>(() => sequence.Next());
        Assert.True(sequence.MustReserve(1));
    }

    [Fact]
    public void OrdinaryWritesMoveTheCeilingOnceHalfABlockIsUsed()
    {
        var sequence = new RoomSequence(storedCeiling: 0, block: 100, epoch: "ep-1");
        sequence.Stored(sequence.CeilingToStore(1));
        for (var i = 0; i < 40; i++)
        {
            sequence.Next();
        }

        // 61 numbers left of 101: a write now stores the ceiling it has.
        Assert.Equal(101, sequence.CeilingToStore());

        for (var i = 0; i < 20; i++)
        {
            sequence.Next();
        }

        // 41 left, fewer than half a block: the write stores a block above what is used.
        Assert.Equal(160, sequence.CeilingToStore());
    }

    [Fact]
    public void ABatchReservesEnoughForAllOfItsMessages()
    {
        var sequence = new RoomSequence(storedCeiling: 0, block: 16, epoch: "ep-1");

        Assert.True(sequence.MustReserve(40));
        sequence.Stored(sequence.CeilingToStore(40));

        Assert.False(sequence.MustReserve(40));
    }

    [Fact]
    public void ANewActivationNumbersAboveEverythingTheLastOneMayHaveUsed()
    {
        var first = new RoomSequence(storedCeiling: 0, block: 50, epoch: "ep-1");
        var stored = first.CeilingToStore(1);
        first.Stored(stored);
        var used = Enumerable.Range(0, 30).Select(_ => first.Next()).ToArray();

        // The first activation dies without another write: the next starts from what storage holds.
        var second = new RoomSequence(stored, block: 50, epoch: "ep-2");
        second.Stored(second.CeilingToStore(1));

        Assert.True(second.Next() > used.Max());
        Assert.NotEqual(first.Epoch, second.Epoch);
    }

    [Fact]
    public void AStoredCeilingNeverGoesDown()
    {
        var sequence = new RoomSequence(storedCeiling: 500, block: 100, epoch: "ep-1");
        sequence.Stored(450);

        Assert.Equal(500, sequence.Durable);
        Assert.True(sequence.CeilingToStore() >= 500);
    }
}
