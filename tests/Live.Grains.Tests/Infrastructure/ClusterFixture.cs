using Live.Contracts;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Grains.FlashSales;
using Live.Grains.Idempotency;
using Live.Grains.Ledger;
using Live.Grains.Rooms;
using Live.Grains.Sellers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// One in-process silo and client shared by the grain tests: the production storage name on memory storage (through
/// a <see cref="FaultInjectingGrainStorage"/> the failure tests arm; the flash sales' ledgers likewise, through a
/// <see cref="FaultInjectingLedgerStore"/>), the
/// production grain services (<see cref="GrainServiceCollectionExtensions.AddLiveGrains"/>), a fake clock, and a
/// <see cref="RoomEventRecorder"/> registered in the hub directory as a hub server would be.
/// </summary>
/// <remarks>
/// The fake clock is the silo's default <see cref="TimeProvider"/>, so it is both what grains read and what drives
/// grain timers (Orleans 10 resolves the grain-timer clock, <c>TimeProviderNames.Grains</c>, from the default
/// provider): a room's tick or a sale's tick happens only when a test advances the clock. The silo's own background
/// loops (membership, messaging, directory, activation collection) stay on real time through
/// <see cref="TimeProviderTestingExtensions.UseTimeProviderForBackgroundAreas"/>, so advancing never runs them inline;
/// reminders (an in-memory table) run on the fake clock as grain timers do.
/// </remarks>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Every grain call of a test is bounded by this (the client's response timeout names the call).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>When a hub's heartbeat counts as late in this cluster.</summary>
    public static readonly TimeSpan HubExpiry = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longer than any one test moves the clock with a live room nobody watches (the compaction tests' two windows), so
    /// that only the idle-room test sees a room end by itself.
    /// </summary>
    public static readonly TimeSpan EndIdleAfter = TimeSpan.FromHours(3);

    /// <summary>Products one seller may create in this cluster (<c>Sellers:MaxProducts</c>; 2,000 by default).</summary>
    public const int MaxProducts = 20;

    private const string InnerStorage = "live-memory";

    private InProcessTestCluster? _cluster;

    /// <summary>The silo's clock. Starts at a fixed instant; only tests move it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public RoomEventRecorder Events { get; } = new();

    /// <summary>Fails or holds chosen writes of the silo's storage (the silo runs in this process).</summary>
    public StorageFaults Faults { get; } = new();

    /// <summary>The silo's ledger store (the flash sales' ledgers), under the fault injector.</summary>
    public MemoryLedgerStore Ledgers { get; } = new();

    /// <summary>What the silo's grains see: <see cref="Ledgers"/> under the fault injector, which counts appends.</summary>
    internal FaultInjectingLedgerStore LedgerStore => _ledgerStore ??= new FaultInjectingLedgerStore(Ledgers, Faults);

    private FaultInjectingLedgerStore? _ledgerStore;

    /// <summary>The grain calls the silo has taken in, for tests that must know a call is inside its grain.</summary>
    public CallsTaken Calls { get; } = new();

    /// <summary>Keeps the recorder's reference alive: the client holds observers weakly.</summary>
    public IRoomEventObserver? EventsReference { get; private set; }

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // The production storage name on memory storage, through the fault injector the failure tests arm.
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.AddIncomingGrainCallFilter(Calls);
            silo.UseInMemoryReminderService();
            var services = silo.Services;

            // The reminder table through a fault injector (FlashSaleCompactionTests fails registrations).
            var reminderTable = services.Last(d => d.ServiceType == typeof(IReminderTable));
            services.AddSingleton<IReminderTable>(sp => new FaultInjectingReminderTable(
                (IReminderTable)(reminderTable.ImplementationFactory?.Invoke(sp) ?? reminderTable.ImplementationInstance
                    ?? throw new InvalidOperationException("the in-memory reminder table is registered in a way this fixture does not know"))));
            services.AddGrainStorage(StorageNames.Live, (sp, _) => new FaultInjectingGrainStorage(
                sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage), Faults, sp.GetRequiredService<DeepCopier>()));
            services.AddSingleton<ILedgerStore>(LedgerStore);

            // The fake clock first, so AddLiveGrains' TryAdd of the system clock leaves it in place.
            services.AddSingleton<TimeProvider>(Clock);
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            // Reminders on the fake clock too: an ended sale's compaction reminder fires when a test moves it past the
            // idempotency window, as its grain's own clock says.
            services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            services.AddLiveGrains();
            // An hour rather than a day: the compaction tests move the shared clock past it, and the others move it
            // by minutes in all, so none of theirs leaves the window.
            services.Configure<IdempotencyOptions>(o => o.Window = TimeSpan.FromHours(1));
            // Snapshots every 50 ledger entries (or as many as the last covered), so that sales of a few dozen
            // purchases already rebuild from a snapshot and a tail.
            services.Configure<FlashSaleOptions>(o => o.SnapshotEntries = 50);
            // One chat batch in hand, not the default's few: the second message of a tick waits for its batch, so
            // the room tests reach the pending-chat paths (resume, snapshot, deletion) with a handful of messages. The
            // bucket with a larger burst is ChatBatcherTests'.
            services.Configure<LiveRoomOptions>(o =>
            {
                o.ChatBurst = 1;
                o.EndIdleAfter = EndIdleAfter;
            });
            services.Configure<NotificationOptions>(o =>
            {
                // Tests move the fake clock by minutes in all: the recorder's registration may turn late (it is
                // still pushed to, being the only hub) but is never forgotten, and no push times out because a test
                // advanced the clock while it was in flight.
                o.DirectoryCacheTime = TimeSpan.Zero;
                o.HubExpiry = HubExpiry;
                o.HubForgetAfter = TimeSpan.FromDays(7);
                o.PushTimeout = TimeSpan.FromDays(7);
            });
            // A seller fills up after a few products, so that the test of a full seller's recheck makes 20, not 2,000.
            services.Configure<SellerOptions>(o => o.MaxProducts = MaxProducts);
            services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = CallTimeout);
        });
        builder.ConfigureClient(client =>
            client.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = CallTimeout));

        _cluster = builder.Build();
        await _cluster.DeployAsync().WaitAsync(TimeSpan.FromSeconds(60));

        EventsReference = Client.CreateObjectReference<IRoomEventObserver>(Events);
        await Client.GetGrain<IHubDirectoryGrain>(0).RegisterAsync(new HubRegistration
        {
            HubId = "grain-tests",
            Backplane = "grain-tests",
            Observer = EventsReference,
        });
    }

    /// <summary>Moves the silo's clock forward, firing the grain timers that fall due.</summary>
    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>The silo's reminder table (in memory, through the fault injector): what is registered, and its faults.</summary>
    public FaultInjectingReminderTable Reminders =>
        (FaultInjectingReminderTable)((InProcessSiloHandle)Cluster.Silos[0]).SiloHost.Services.GetRequiredService<IReminderTable>();

    /// <summary>
    /// Returns once every event published so far for the (open) room has reached the recorder, so a test can assert
    /// that something was not announced. The silo pushes its events in the order grains raise them, so a chat message
    /// sent now, once seen, arrives after all of them.
    /// </summary>
    public async Task WaitForEarlierEventsAsync(ILiveRoomGrain room, string roomId)
    {
        var marker = await room.SendChatAsync(new Caller { UserId = "test-barrier", DisplayName = "barrier" }, "barrier");
        await Events.WaitForAsync<ChatBatchEvent>(
            roomId, b => b.Messages.Any(m => m.Id == marker.Id), "the barrier chat message", () => Advance(new LiveRoomOptions().ChatTick), TimeSpan.FromMilliseconds(200));
    }

    /// <remarks>
    /// The silo is killed rather than stopped: memory storage lives in grains that a graceful stop deactivates early,
    /// so grains writing behind in their OnDeactivateAsync would each wait out the response timeout, and nothing of
    /// this cluster outlives the run.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopClusterClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
            foreach (var silo in _cluster.Silos.ToArray())
            {
                await _cluster.KillSiloAsync(silo).WaitAsync(TimeSpan.FromSeconds(30));
            }

            await _cluster.DisposeAsync();
        }
    }
}
