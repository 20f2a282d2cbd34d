using Lotse.Domain.Appointments;

namespace Lotse.Web.Features.Appointments;

/// <summary>Where one person of an appointment is, as the other one sees it.</summary>
public enum RoomPresence
{
    /// <summary>Not here yet.</summary>
    Absent,

    /// <summary>The client is in the waiting room until the counsellor admits them.</summary>
    Waiting,

    InRoom,

    /// <summary>Was here and left (or lost the connection).</summary>
    Left,
}

/// <summary>Both people's presence, as sent to both pages. Strings ("inRoom"), so that the page script reads them as they are.</summary>
public sealed record RoomSnapshot(string Counsellor, string Client)
{
    internal static string Name(RoomPresence presence) => presence switch
    {
        RoomPresence.Waiting => "waiting",
        RoomPresence.InRoom => "inRoom",
        RoomPresence.Left => "left",
        _ => "absent",
    };
}

/// <summary>
/// What changed in a room: the new snapshot and the connections to tell. <paramref name="Replaced"/> is a connection of
/// the same person that this one took over. <paramref name="Interim"/> goes first to <paramref name="InterimTo"/> (the other
/// side) when someone came back while still counted in the room (a new connection after a lost one): the other side sees
/// them leave and come back, and so starts a fresh call.
/// </summary>
public sealed record RoomChange(
    RoomSnapshot Snapshot,
    IReadOnlyList<string> Notify,
    string? Replaced = null,
    RoomSnapshot? Interim = null,
    string? InterimTo = null);

/// <summary>
/// Who is in which appointment room right now, by SignalR connection: the waiting room, admission and the one
/// connection per side that signalling messages are relayed to. Membership itself is not decided here (the hub
/// checks it in the database on every call); this only remembers what the checked members did.
/// <para>
/// Kept in this process's memory, which is right for one app instance. Several instances need the SignalR Redis
/// backplane (a connection may live on another instance) plus this state in a shared store such as Redis
/// (a later issue). Nothing here is ever written anywhere: signalling and chat pass through, nothing is recorded.
/// </para>
/// </summary>
public sealed class RoomRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Room> _rooms = [];

    public RoomChange Join(Guid appointmentId, AppointmentParty party, string connectionId)
    {
        lock (_lock)
        {
            var room = Get(appointmentId);
            var side = room.Side(party);
            var replaced = side.Connection is { } old && old != connectionId ? old : null;
            RoomSnapshot? interim = null;
            if (side.Presence == RoomPresence.InRoom)
            {
                side.Presence = RoomPresence.Left;
                interim = room.Change().Snapshot;
            }

            side.Connection = connectionId;
            // A client admitted before comes straight back in after a lost connection; after leaving on purpose they wait again.
            side.Presence = party == AppointmentParty.Counsellor || room.ClientAdmitted ? RoomPresence.InRoom : RoomPresence.Waiting;
            var other = room.Side(Other(party)).Connection;
            return room.Change(replaced) with { Interim = other is null ? null : interim, InterimTo = interim is null ? null : other };
        }
    }

    /// <summary>Lets the waiting client in; null when the caller is not the counsellor in the room or nobody waits.</summary>
    public RoomChange? Admit(Guid appointmentId, string counsellorConnectionId)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(appointmentId, out var room)
                || room.Counsellor.Connection != counsellorConnectionId
                || room.Client.Presence != RoomPresence.Waiting)
            {
                return null;
            }

            room.ClientAdmitted = true;
            room.Client.Presence = RoomPresence.InRoom;
            return room.Change();
        }
    }

    /// <summary>The caller leaves on purpose; null if this connection was not the one in the room.</summary>
    public RoomChange? Leave(Guid appointmentId, AppointmentParty party, string connectionId)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(appointmentId, out var room) || room.Side(party).Connection != connectionId)
            {
                return null;
            }

            if (party == AppointmentParty.Client)
            {
                room.ClientAdmitted = false;
            }

            return Gone(appointmentId, room, room.Side(party));
        }
    }

    /// <summary>A connection ended: it leaves every room it was in (an admitted client stays admitted for its return).</summary>
    public IReadOnlyList<RoomChange> Disconnected(string connectionId)
    {
        lock (_lock)
        {
            var changes = new List<RoomChange>();
            foreach (var (id, room) in _rooms.ToList())
            {
                foreach (var side in new[] { room.Counsellor, room.Client })
                {
                    if (side.Connection == connectionId)
                    {
                        changes.Add(Gone(id, room, side));
                    }
                }
            }

            return changes;
        }
    }

    /// <summary>
    /// The connection to relay a signalling or chat message to: the other side's, when both sides are in the room and the
    /// caller's connection is the one registered for its side. Null otherwise (a waiting client talks to nobody).
    /// </summary>
    public string? Peer(Guid appointmentId, AppointmentParty party, string connectionId)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(appointmentId, out var room))
            {
                return null;
            }

            var me = room.Side(party);
            var other = room.Side(Other(party));
            return me.Connection == connectionId && me.Presence == RoomPresence.InRoom && other.Presence == RoomPresence.InRoom
                ? other.Connection
                : null;
        }
    }

    public RoomSnapshot Snapshot(Guid appointmentId)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(appointmentId, out var room)
                ? room.Change().Snapshot
                : new RoomSnapshot(RoomSnapshot.Name(RoomPresence.Absent), RoomSnapshot.Name(RoomPresence.Absent));
        }
    }

    private static AppointmentParty Other(AppointmentParty party) =>
        party == AppointmentParty.Counsellor ? AppointmentParty.Client : AppointmentParty.Counsellor;

    private RoomChange Gone(Guid appointmentId, Room room, Side side)
    {
        side.Connection = null;
        side.Presence = RoomPresence.Left;
        var change = room.Change();
        // Nobody left to tell: forget the room, so that memory holds only rooms in use.
        if (room.Counsellor.Connection is null && room.Client.Connection is null)
        {
            _rooms.Remove(appointmentId);
        }

        return change;
    }

    private Room Get(Guid appointmentId)
    {
        if (!_rooms.TryGetValue(appointmentId, out var room))
        {
            room = new Room();
            _rooms.Add(appointmentId, room);
        }

        return room;
    }

    private sealed class Side
    {
        public string? Connection { get; set; }

        public RoomPresence Presence { get; set; }
    }

    private sealed class Room
    {
        public Side Counsellor { get; } = new();

        public Side Client { get; } = new();

        public bool ClientAdmitted { get; set; }

        public Side Side(AppointmentParty party) => party == AppointmentParty.Counsellor ? Counsellor : Client;

        public RoomChange Change(string? replaced = null) => new(
            new RoomSnapshot(RoomSnapshot.Name(Counsellor.Presence), RoomSnapshot.Name(Client.Presence)),
            new[] { Counsellor.Connection, Client.Connection }.OfType<string>().ToList(),
            replaced);
    }
}
