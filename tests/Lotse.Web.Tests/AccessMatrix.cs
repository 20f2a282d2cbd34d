using Lotse.Web.Features.Appointments;
using static Lotse.Web.Tests.Outcome;

namespace Lotse.Web.Tests;

/// <summary>One page handler or endpoint: how to call it against the resources, and what each caller must get.</summary>
public sealed record PageRow(string Method, string Template, string? Handler, Func<Resources, string> Url, IReadOnlyDictionary<Caller, Outcome> Expected)
{
    public string Key => $"{Method} {Template}" + (Handler is null ? "" : $"?handler={Handler}");
}

/// <summary>Who is in client A's appointment room before the call: nobody, client A waiting with counsellor A there, or both in it.</summary>
public enum RoomSetup
{
    None,
    ClientWaiting,
    BothIn,
}

/// <summary>One hub method: its arguments against the resources, who is in the room first, and what each caller must get.</summary>
public sealed record HubRow(string Path, string Method, Func<Resources, object?[]> Arguments, IReadOnlyDictionary<Caller, Outcome> Expected, RoomSetup Room = RoomSetup.None)
{
    public string Key => $"HUB {Path} {Method}";
}

/// <summary>
/// The expected answer of every endpoint and hub method for every kind of caller (issue 7, access-control matrix).
/// Columns: anonymous, client A (owns the resources), client B, counsellor A (counsels client A), counsellor B (another
/// agency), admin of agency A, the platform admin (no agency of their own; their admin pages show agency A, the first by
/// name, as long as they have not chosen another). "Allowed" means the request reached the handler (a page, a redirect that is not the
/// sign-in, or 400 for the empty form); resources of someone else answer 404 (decision 4), a page of another role 403.
/// </summary>
public static class AccessMatrix
{
    public static readonly Caller[] Callers = Enum.GetValues<Caller>();

    private const string Chat = "/hubs/chat";
    private const string Availability = "/hubs/verfuegbarkeit";

    /// <summary>Everyone, signed in or not, reaches it.</summary>
    private static readonly Outcome[] Public = [Allowed, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed];

    /// <summary>Anyone signed in.</summary>
    private static readonly Outcome[] SignedIn = [SignIn, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed];

    /// <summary>Pages of clients that show only the caller's own things.</summary>
    private static readonly Outcome[] Clients = [SignIn, Allowed, Allowed, Forbidden, Forbidden, Forbidden, Forbidden];

    /// <summary>Pages of counsellors that show only the caller's own things.</summary>
    private static readonly Outcome[] Counsellors = [SignIn, Forbidden, Forbidden, Allowed, Allowed, Forbidden, Forbidden];

    /// <summary>Client A's own thing: another client gets 404.</summary>
    private static readonly Outcome[] ClientAOnly = [SignIn, Allowed, NotFound, Forbidden, Forbidden, Forbidden, Forbidden];

    /// <summary>Counsellor A's own thing: a counsellor of another agency gets 404.</summary>
    private static readonly Outcome[] CounsellorAOnly = [SignIn, Forbidden, Forbidden, Allowed, NotFound, Forbidden, Forbidden];

    /// <summary>Counsellor A's own thing, which the admin of their agency manages too.</summary>
    private static readonly Outcome[] CounsellorAOrAdmin = [SignIn, Forbidden, Forbidden, Allowed, NotFound, Allowed, Allowed];

    /// <summary>Administration pages: the agency's admin and the platform admin (who administers agency A unless they chose another).</summary>
    private static readonly Outcome[] Admins = [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allowed, Allowed];

    /// <summary>The platform admin's own pages.</summary>
    private static readonly Outcome[] PlatformAdmins = [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allowed];

    public static readonly PageRow[] Pages =
    [
        Page("GET", "/", null, _ => "/", Public),
        Page("POST", "/", "Status", _ => "/?handler=Status", Counsellors),
        Page("GET", "/anmelden", null, _ => "/anmelden", Public),
        Page("POST", "/anmelden", null, _ => "/anmelden", Public),
        Page("GET", "/abmelden", null, _ => "/abmelden", Public),
        Page("POST", "/abmelden", null, _ => "/abmelden", Public),
        Page("GET", "/registrieren", null, _ => "/registrieren", Public),
        Page("POST", "/registrieren", null, _ => "/registrieren", Public),
        // The second sign-in step: without a passed password step it sends back to the sign-in form.
        Page("GET", "/anmelden/code", null, _ => "/anmelden/code", Public),
        Page("POST", "/anmelden/code", null, _ => "/anmelden/code", Public),
        Page("GET", "/passwort-vergessen", null, _ => "/passwort-vergessen", Public),
        Page("POST", "/passwort-vergessen", null, _ => "/passwort-vergessen", Public),
        Page("GET", "/passwort-vergessen/code", null, _ => "/passwort-vergessen/code", Public),
        Page("POST", "/passwort-vergessen/code", null, _ => "/passwort-vergessen/code", Public),
        Page("GET", "/passwort-neu", null, _ => "/passwort-neu", Public),
        Page("POST", "/passwort-neu", null, _ => "/passwort-neu", Public),
        // The account's own security settings: staff cannot switch the mandatory second factor off, and their QR code
        // is gone once it is set up (all staff callers here have set it up).
        Page("GET", "/konto/sicherheit", null, _ => "/konto/sicherheit", SignedIn),
        Page("POST", "/konto/sicherheit", "Off", _ => "/konto/sicherheit?handler=Off", [SignIn, Allowed, Allowed, Forbidden, Forbidden, Forbidden, Forbidden]),
        Page("GET", "/konto/zwei-faktor/einrichten", null, _ => "/konto/zwei-faktor/einrichten", SignedIn),
        Page("GET", "/konto/zwei-faktor/einrichten", "Qr", _ => "/konto/zwei-faktor/einrichten?handler=Qr", [SignIn, Allowed, Allowed, NotFound, NotFound, NotFound, NotFound]),
        Page("POST", "/konto/zwei-faktor/einrichten", null, _ => "/konto/zwei-faktor/einrichten", SignedIn),
        // A client's own data: the export, and the deletion (the empty form deletes nothing: the password is missing).
        Page("GET", "/konto/daten", null, _ => "/konto/daten", Clients),
        Page("GET", "/konto/daten", "Export", _ => "/konto/daten?handler=Export", Clients),
        Page("POST", "/konto/daten", "Delete", _ => "/konto/daten?handler=Delete", Clients),
        Page("GET", "/konto/geloescht", null, _ => "/konto/geloescht", Public),
        // The error page answers with the status it explains.
        Page("GET", "/fehler/{code:int?}", null, _ => "/fehler/404", [NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound]),
        Page("POST", "/fehler/{code:int?}", null, _ => "/fehler/404", [NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound]),
        Page("GET", "/sprache/{language}", null, _ => "/sprache/en", Public),

        // Operations (docs/operations.md): probes for anyone; metrics only for loopback or Metrics:AllowedNetworks, which
        // no caller of the in-memory test server is (it has no remote address), signed in or not.
        Page("GET", "/health/live", null, _ => "/health/live", Public),
        Page("GET", "/health/ready", null, _ => "/health/ready", Public),
        Page("GET", "/metrics", null, _ => "/metrics", [Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),

        Page("GET", "/berater", null, _ => "/berater", Public),
        Page("GET", "/berater/{id:guid}", null, r => $"/berater/{r.CounsellorA}", Public),
        Page("GET", "/berater/{id:guid}", "Availability", r => $"/berater/{r.CounsellorA}?handler=Availability", Public),
        Page("GET", "/berater/{id:guid}/termin", null, r => $"/berater/{r.CounsellorA}/termin", Clients),
        Page("POST", "/berater/{id:guid}/termin", null, r => $"/berater/{r.CounsellorA}/termin", Clients),

        Page("GET", "/benachrichtigungen", null, _ => "/benachrichtigungen", SignedIn),
        Page("POST", "/benachrichtigungen", "ReadAll", _ => "/benachrichtigungen?handler=ReadAll", SignedIn),

        // Counsellor A's absences, addressed as their agency's admin does it (?berater=): counsellor B gets nothing of them.
        Page("GET", "/abwesenheiten", null, r => $"/abwesenheiten?berater={r.CounsellorA}", CounsellorAOrAdmin),
        Page("POST", "/abwesenheiten", "EndNow", r => $"/abwesenheiten?handler=EndNow&id={r.AbsenceId}&berater={r.CounsellorA}", CounsellorAOrAdmin),
        Page("GET", "/abwesenheiten/team", null, _ => "/abwesenheiten/team", Admins),
        Page("GET", "/abwesenheiten/neu", null, r => $"/abwesenheiten/neu?berater={r.CounsellorA}", CounsellorAOrAdmin),
        Page("POST", "/abwesenheiten/neu", null, r => $"/abwesenheiten/neu?berater={r.CounsellorA}", CounsellorAOrAdmin),
        Page("GET", "/abwesenheiten/{id:guid}/bearbeiten", null, r => $"/abwesenheiten/{r.AbsenceId}/bearbeiten?berater={r.CounsellorA}", CounsellorAOrAdmin),
        Page("POST", "/abwesenheiten/{id:guid}/bearbeiten", null, r => $"/abwesenheiten/{r.AbsenceId}/bearbeiten?berater={r.CounsellorA}", CounsellorAOrAdmin),
        Page("GET", "/abwesenheiten/{id:guid}/loeschen", null, r => $"/abwesenheiten/{r.AbsenceId}/loeschen?berater={r.CounsellorA}", CounsellorAOrAdmin),
        Page("POST", "/abwesenheiten/{id:guid}/loeschen", null, r => $"/abwesenheiten/{r.AbsenceId}/loeschen?berater={r.CounsellorA}", CounsellorAOrAdmin),

        Page("GET", "/chat", null, _ => "/chat", Clients),
        Page("GET", "/chat", "List", _ => "/chat?handler=List", Clients),
        Page("GET", "/chat/neu/{counsellorId:guid}", null, r => $"/chat/neu/{r.CounsellorA}", Clients),
        Page("POST", "/chat/neu/{counsellorId:guid}", null, r => $"/chat/neu/{r.CounsellorA}", Clients),
        Page("GET", "/chat/{conversationId:guid}", null, r => $"/chat/{r.ConversationId}", ClientAOnly),
        Page("GET", "/chat/{conversationId:guid}", "Status", r => $"/chat/{r.ConversationId}?handler=Status", ClientAOnly),
        Page("GET", "/chats", null, _ => "/chats", Counsellors),
        Page("GET", "/chats", "List", _ => "/chats?handler=List", Counsellors),
        Page("GET", "/chats/{conversationId:guid}", null, r => $"/chats/{r.ConversationId}", CounsellorAOnly),
        Page("GET", "/chats/{conversationId:guid}", "Status", r => $"/chats/{r.ConversationId}?handler=Status", CounsellorAOnly),
        Page("POST", "/chats/{conversationId:guid}", "Close", r => $"/chats/{r.ConversationId}?handler=Close", CounsellorAOnly),

        Page("GET", "/meine-termine", null, _ => "/meine-termine", Clients),
        Page("POST", "/meine-termine", "Cancel", r => $"/meine-termine?handler=Cancel&id={r.AppointmentId}", ClientAOnly),
        Page("GET", "/termine", null, _ => "/termine", Counsellors),
        Page("POST", "/termine", "Confirm", r => $"/termine?handler=Confirm&id={r.AppointmentId}", CounsellorAOnly),
        Page("POST", "/termine", "Decline", r => $"/termine?handler=Decline&id={r.AppointmentId}", CounsellorAOnly),
        Page("POST", "/termine", "Cancel", r => $"/termine?handler=Cancel&id={r.AppointmentId}", CounsellorAOnly),
        Page("GET", "/termine/{id:guid}/raum", null, r => $"/termine/{r.AppointmentId}/raum", [SignIn, Allowed, NotFound, Allowed, NotFound, NotFound, NotFound]),
        Page("GET", "/termine/buchungszeiten", null, _ => "/termine/buchungszeiten", Counsellors),
        Page("POST", "/termine/buchungszeiten", "Settings", _ => "/termine/buchungszeiten?handler=Settings", Counsellors),
        Page("POST", "/termine/buchungszeiten", "AddWindow", _ => "/termine/buchungszeiten?handler=AddWindow", Counsellors),
        Page("POST", "/termine/buchungszeiten", "RemoveWindow", r => $"/termine/buchungszeiten?handler=RemoveWindow&id={r.BookingWindowId}", CounsellorAOnly),
        Page("POST", "/termine/buchungszeiten", "AddBlock", _ => "/termine/buchungszeiten?handler=AddBlock", Counsellors),
        Page("POST", "/termine/buchungszeiten", "RemoveBlock", r => $"/termine/buchungszeiten?handler=RemoveBlock&id={r.BookingBlockId}", CounsellorAOnly),

        Page("GET", "/anfragen", null, _ => "/anfragen", Clients),
        Page("GET", "/anfragen/neu", null, r => $"/anfragen/neu?berater={r.CounsellorA}", Clients),
        Page("POST", "/anfragen/neu", null, r => $"/anfragen/neu?berater={r.CounsellorA}", Clients),
        Page("GET", "/anfragen/{id:guid}", null, r => $"/anfragen/{r.ThreadId}", ClientAOnly),
        Page("POST", "/anfragen/{id:guid}", "Reply", r => $"/anfragen/{r.ThreadId}?handler=Reply", ClientAOnly),
        Page("GET", "/posteingang", null, _ => "/posteingang", Counsellors),
        Page("GET", "/posteingang/warteschlange", null, _ => "/posteingang/warteschlange", Counsellors),
        Page("POST", "/posteingang/warteschlange", "Take", r => $"/posteingang/warteschlange?handler=Take&id={r.ThreadId}", CounsellorAOnly),
        Page("GET", "/posteingang/{id:guid}", null, r => $"/posteingang/{r.ThreadId}", CounsellorAOnly),
        Page("POST", "/posteingang/{id:guid}", "Reply", r => $"/posteingang/{r.ThreadId}?handler=Reply", CounsellorAOnly),
        Page("POST", "/posteingang/{id:guid}", "Take", r => $"/posteingang/{r.ThreadId}?handler=Take", CounsellorAOnly),
        Page("POST", "/posteingang/{id:guid}", "Close", r => $"/posteingang/{r.ThreadId}?handler=Close", CounsellorAOnly),
        Page("POST", "/posteingang/{id:guid}", "Archive", r => $"/posteingang/{r.ThreadId}?handler=Archive", CounsellorAOnly),

        Page("GET", "/einstellungen/mailberatung", null, _ => "/einstellungen/mailberatung", Counsellors),
        Page("POST", "/einstellungen/mailberatung", null, _ => "/einstellungen/mailberatung", Counsellors),
        Page("GET", "/stammklienten", null, _ => "/stammklienten", Counsellors),
        Page("POST", "/stammklienten", "Mark", r => $"/stammklienten?handler=Mark&clientId={r.ClientA}", CounsellorAOnly),
        Page("POST", "/stammklienten", "Unmark", r => $"/stammklienten?handler=Unmark&clientId={r.ClientA}", CounsellorAOnly),

        Page("GET", "/verwaltung/mailberatung", null, _ => "/verwaltung/mailberatung", Admins),
        Page("POST", "/verwaltung/mailberatung", null, _ => "/verwaltung/mailberatung", Admins),
        Page("GET", "/verwaltung/protokoll", null, _ => "/verwaltung/protokoll", Admins),
        Page("GET", "/verwaltung/beratungsstelle", null, _ => "/verwaltung/beratungsstelle", Admins),
        Page("POST", "/verwaltung/beratungsstelle", "Settings", _ => "/verwaltung/beratungsstelle?handler=Settings", Admins),
        Page("POST", "/verwaltung/beratungsstelle", "Close", _ => "/verwaltung/beratungsstelle?handler=Close", Admins),
        Page("POST", "/verwaltung/beratungsstelle", "Reopen", _ => "/verwaltung/beratungsstelle?handler=Reopen", Admins),
        Page("GET", "/verwaltung/schliesstage", null, _ => "/verwaltung/schliesstage", Admins),
        Page("POST", "/verwaltung/schliesstage", "Add", _ => "/verwaltung/schliesstage?handler=Add", Admins),
        Page("POST", "/verwaltung/schliesstage", "Holidays", _ => "/verwaltung/schliesstage?handler=Holidays", Admins),
        // No closing day with that id in the admin's agency: 404 (someone else's day answers the same).
        Page("POST", "/verwaltung/schliesstage", "Remove", _ => $"/verwaltung/schliesstage?handler=Remove&id={Guid.Empty}", [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound]),
        Page("GET", "/verwaltung/datenschutz", null, _ => "/verwaltung/datenschutz", Admins),
        Page("POST", "/verwaltung/datenschutz", null, _ => "/verwaltung/datenschutz", Admins),

        // Counsellor administration (issue 8). The posts carry no fields: each is refused with 400 before it changes
        // anything (no role chosen, no confirmation, no appointment), so the rows after them find counsellor A as before.
        Page("GET", "/verwaltung/berater", null, _ => "/verwaltung/berater", Admins),
        Page("GET", "/verwaltung/berater/einladen", null, _ => "/verwaltung/berater/einladen", Admins),
        Page("POST", "/verwaltung/berater/einladen", null, _ => "/verwaltung/berater/einladen", Admins),
        Page("GET", "/verwaltung/berater/{id:guid}", null, r => $"/verwaltung/berater/{r.CounsellorA}", Admins),
        Page("GET", "/verwaltung/berater/{id:guid}", null, r => $"/verwaltung/berater/{r.CounsellorB}", [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound]),
        Page("POST", "/verwaltung/berater/{id:guid}", null, r => $"/verwaltung/berater/{r.CounsellorA}", Admins),
        Page("POST", "/verwaltung/berater/{id:guid}", null, r => $"/verwaltung/berater/{r.CounsellorB}", [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound]),
        Page("POST", "/verwaltung/berater/{id:guid}", "Disable", r => $"/verwaltung/berater/{r.CounsellorA}?handler=Disable", Admins),
        Page("POST", "/verwaltung/berater/{id:guid}", "Disable", r => $"/verwaltung/berater/{r.CounsellorB}?handler=Disable", [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound]),
        Page("POST", "/verwaltung/berater/{id:guid}", "Enable", r => $"/verwaltung/berater/{r.CounsellorA}?handler=Enable", Admins),
        Page("POST", "/verwaltung/berater/{id:guid}", "Reassign", r => $"/verwaltung/berater/{r.CounsellorA}?handler=Reassign&appointmentId={r.AppointmentId}", Admins),
        Page("GET", "/einladung", null, _ => "/einladung?token=unbekannt", Public),
        Page("POST", "/einladung", null, _ => "/einladung", Public),
        Page("GET", "/verwaltung/aufsicht", null, _ => "/verwaltung/aufsicht", Admins),
        Page("GET", "/verwaltung/aufsicht", "Board", _ => "/verwaltung/aufsicht?handler=Board", Admins),
        Page("GET", "/verwaltung/statistik", null, _ => "/verwaltung/statistik", Admins),
        Page("GET", "/verwaltung/statistik", "Csv", _ => "/verwaltung/statistik?handler=Csv&monat=2026-11", Admins),

        // Platform administration (issue 8): every agency, for the platform admin only. The empty create form is 400.
        Page("GET", "/verwaltung/plattform", null, _ => "/verwaltung/plattform", PlatformAdmins),
        Page("POST", "/verwaltung/plattform", "Create", _ => "/verwaltung/plattform?handler=Create", PlatformAdmins),
        Page("POST", "/verwaltung/plattform", "Choose", r => $"/verwaltung/plattform?handler=Choose&id={r.AgencyA}", PlatformAdmins),
        Page("POST", "/verwaltung/plattform", "Choose", _ => $"/verwaltung/plattform?handler=Choose&id={Guid.Empty}", [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, NotFound]),
    ];

    /// <summary>Hub methods of client A and counsellor A's conversation; anyone else is refused.</summary>
    private static readonly Outcome[] ChatMembers = [SignIn, Allowed, Refused, Allowed, Refused, Refused, Refused];

    /// <summary>Hub methods of client A and counsellor A's appointment room; anyone else is refused.</summary>
    private static readonly Outcome[] RoomMembers = [SignIn, Allowed, Refused, Allowed, Refused, Refused, Refused];

    private const string Sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n";

    public static readonly HubRow[] Hubs =
    [
        new(Availability, "Watch", r => [r.CounsellorA], Expect(Public)),

        // The admin's own agency only; everyone else is turned away at the door (the hub needs the admin role).
        new(Lotse.Web.Features.Supervision.SupervisionHub.Path, "Watch", _ => [], Expect(Admins)),

        new(Chat, "StartConversation", r => [r.CounsellorA], Expect([SignIn, Allowed, Allowed, Refused, Refused, Refused, Refused])),
        new(Chat, "Unread", _ => [], Expect([SignIn, Allowed, Allowed, Allowed, Allowed, Refused, Refused])),
        new(Chat, "Join", r => [r.ConversationId], Expect(ChatMembers)),
        new(Chat, "Send", r => [r.ConversationId, Guid.NewGuid(), "Hallo"], Expect(ChatMembers)),
        new(Chat, "History", r => [r.ConversationId, null, 20], Expect(ChatMembers)),
        new(Chat, "Since", r => [r.ConversationId, 0L], Expect(ChatMembers)),
        new(Chat, "MarkRead", r => [r.ConversationId, 0L], Expect(ChatMembers)),
        new(Chat, "Typing", r => [r.ConversationId], Expect(ChatMembers)),
        new(Chat, "Close", r => [r.ConversationId], Expect([SignIn, Refused, Refused, Allowed, Refused, Refused, Refused])),

        new(RoomHub.Path, "Join", r => [r.AppointmentId], Expect(RoomMembers)),
        new(RoomHub.Path, "Admit", r => [r.AppointmentId], Expect([SignIn, Refused, Refused, Allowed, Refused, Refused, Refused]), RoomSetup.ClientWaiting),
        new(RoomHub.Path, "Leave", r => [r.AppointmentId], Expect(RoomMembers), RoomSetup.BothIn),
        new(RoomHub.Path, "Offer", r => [r.AppointmentId, Sdp], Expect(RoomMembers), RoomSetup.BothIn),
        new(RoomHub.Path, "Answer", r => [r.AppointmentId, Sdp], Expect(RoomMembers), RoomSetup.BothIn),
        new(RoomHub.Path, "IceCandidate", r => [r.AppointmentId, new IceCandidateMessage("candidate:1 1 udp 2122260223 127.0.0.1 9 typ host", "0", 0, null)], Expect(RoomMembers), RoomSetup.BothIn),
        new(RoomHub.Path, "ChatMessage", r => [r.AppointmentId, "Hallo"], Expect(RoomMembers), RoomSetup.BothIn),
        new(RoomHub.Path, "MediaState", r => [r.AppointmentId, new MediaStateMessage(true, true)], Expect(RoomMembers), RoomSetup.BothIn),
    ];

    private static PageRow Page(string method, string template, string? handler, Func<Resources, string> url, Outcome[] expected) =>
        new(method, template, handler, url, Expect(expected));

    private static Dictionary<Caller, Outcome> Expect(Outcome[] byCaller) =>
        byCaller.Length == Callers.Length
            ? Callers.Zip(byCaller).ToDictionary(p => p.First, p => p.Second)
            : throw new ArgumentException($"One outcome per caller: {Callers.Length} expected, {byCaller.Length} given.", nameof(byCaller));
}
