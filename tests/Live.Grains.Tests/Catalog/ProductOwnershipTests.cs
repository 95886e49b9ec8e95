using Live.Contracts;
using Live.Grains.Catalog;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Catalog;

public sealed class ProductOwnershipTests
{
    [Fact]
    public void OnlyTheOwnerOrAnOperatorMayOfferAProduct()
    {
        ProductOwnership.Require("prod_1", "host-a", "host-a", isOperator: false);
        ProductOwnership.Require("prod_1", "host-a", "ops-1", isOperator: true);

        Refusal.Expect(ErrorCodes.Forbidden, "product prod_1 belongs to another seller",
            () => ProductOwnership.Require("prod_1", "host-a", "host-b", isOperator: false));
        Refusal.Expect(ErrorCodes.Forbidden, "product prod_1 belongs to another seller",
            () => ProductOwnership.Require("prod_1", "host-a", "HOST-A", isOperator: false));
        Refusal.Expect(ErrorCodes.Forbidden, "product prod_1 belongs to another seller",
            () => ProductOwnership.Require("prod_1", ownerId: null, "host-a", isOperator: false));
    }

    [Fact]
    public void AProductRemembersTheLastRoomsThatPinnedIt()
    {
        var rooms = new List<string>();

        Assert.True(ProductOwnership.RememberRoom(rooms, "room_a"));
        Assert.False(ProductOwnership.RememberRoom(rooms, "room_a"));
        Assert.True(ProductOwnership.RememberRoom(rooms, "room_b"));
        Assert.True(ProductOwnership.RememberRoom(rooms, "room_a"));
        Assert.Equal(["room_b", "room_a"], rooms);

        for (var i = 0; i < ProductOwnership.RoomsRemembered + 5; i++)
        {
            ProductOwnership.RememberRoom(rooms, $"room_{i}");
        }

        Assert.Equal(ProductOwnership.RoomsRemembered, rooms.Count);
        Assert.Equal($"room_{ProductOwnership.RoomsRemembered + 4}", rooms[^1]);
        Assert.Equal("room_5", rooms[0]);
    }
}
