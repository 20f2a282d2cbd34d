using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Audit;

/// <summary>
/// "/verwaltung/protokoll": the audit log of the admin's agency, newest first, 50 to a page, filtered by period (Berlin
/// days), person and kind of entry. An agency's entries are those about its threads and requests and those of its own
/// staff; nothing of another agency, and no way to change anything.
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class IndexModel(LotseDb db, AgencyAdmin.AdminAgency adminAgency, IStringLocalizer<SharedResource> t) : PageModel
{
    public const int PageSize = 50;

    public sealed record Person(string UserId, string Name);

    public sealed record Row(DateTime OccurredUtc, string Actor, string Role, string Action, string Target, string Details);

    [BindProperty(SupportsGet = true, Name = "von")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "bis")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "person")]
    public string? PersonId { get; set; }

    [BindProperty(SupportsGet = true, Name = "aktion")]
    public string? ActionFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "seite")]
    public int PageNumber { get; set; } = 1;

    public string AgencyName { get; private set; } = "";

    public IReadOnlyList<Person> People { get; private set; } = [];

    public IReadOnlyList<(string Value, string Label)> Actions { get; private set; } = [];

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public bool IsFiltered => From is not null || To is not null || !string.IsNullOrEmpty(PersonId) || !string.IsNullOrEmpty(ActionFilter);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var agency = await adminAgency.FindAsync(cancellationToken);
        if (agency is null)
        {
            return Forbid();
        }

        AgencyName = agency.Name;
        Actions = ActionChoices();
        People = await PeopleAsync(agency.Id, cancellationToken);
        var action = Validate();
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Entries about the agency's threads and requests, and the agency's staff's own entries (sign-ins, status, absences).
        var staff = db.AgencyMemberships.Where(m => m.AgencyId == agency.Id).Select(m => m.UserId);
        var entries = db.AuditEntries().AsNoTracking()
            .Where(e => e.AgencyId == agency.Id || (e.AgencyId == null && e.ActorUserId != null && staff.Contains(e.ActorUserId)));
        if (From is { } from)
        {
            var fromUtc = MidnightUtc(from);
            entries = entries.Where(e => e.OccurredUtc >= fromUtc);
        }

        if (To is { } to)
        {
            // "bis" includes the whole day.
            var endUtc = MidnightUtc(to.AddDays(1));
            entries = entries.Where(e => e.OccurredUtc < endUtc);
        }

        if (!string.IsNullOrEmpty(PersonId))
        {
            entries = entries.Where(e => e.ActorUserId == PersonId);
        }

        if (action is { } kind)
        {
            entries = entries.Where(e => e.Action == kind);
        }

        Total = await entries.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var page = await entries
            .OrderByDescending(e => e.OccurredUtc).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .ToListAsync(cancellationToken);
        Rows = page.Select(e => new Row(e.OccurredUtc, ActorText(e), RoleText(e.ActorRole), ActionText(e.Action), TargetText(e), e.Details)).ToList();
        return Page();
    }

    /// <summary>The query string of this view for another page number, the filters kept.</summary>
    public string PageLink(int page)
    {
        var query = new QueryString()
            .Add("seite", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (From is { } from)
        {
            query = query.Add("von", from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (To is { } to)
        {
            query = query.Add("bis", to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(PersonId))
        {
            query = query.Add("person", PersonId);
        }

        if (!string.IsNullOrEmpty(ActionFilter))
        {
            query = query.Add("aktion", ActionFilter);
        }

        return "/verwaltung/protokoll" + query.ToUriComponent();
    }

    private AuditAction? Validate()
    {
        if (ModelState.TryGetValue("von", out var fromState) && fromState.Errors.Count > 0)
        {
            fromState.Errors.Clear();
            ModelState.AddModelError("von", t["Bitte geben Sie im Feld „{0}“ ein gültiges Datum ein.", t["Von"]]);
        }

        if (ModelState.TryGetValue("bis", out var toState) && toState.Errors.Count > 0)
        {
            toState.Errors.Clear();
            ModelState.AddModelError("bis", t["Bitte geben Sie im Feld „{0}“ ein gültiges Datum ein.", t["Bis"]]);
        }

        if (From is { } from && To is { } to && to < from)
        {
            ModelState.AddModelError("bis", t["Das Datum im Feld „Bis“ liegt vor dem im Feld „Von“."]);
        }

        if (!string.IsNullOrEmpty(PersonId) && People.All(p => p.UserId != PersonId))
        {
            ModelState.AddModelError("person", t["Bitte wählen Sie im Feld „Person“ jemanden aus der Liste."]);
        }

        if (string.IsNullOrEmpty(ActionFilter))
        {
            return null;
        }

        if (Enum.TryParse<AuditAction>(ActionFilter, ignoreCase: false, out var action) && Enum.IsDefined(action) && !int.TryParse(ActionFilter, out _))
        {
            return action;
        }

        ModelState.AddModelError("aktion", t["Bitte wählen Sie im Feld „Art“ einen Eintrag aus der Liste."]);
        return null;
    }

    private static DateTime MidnightUtc(DateOnly day) =>
        BerlinTime.TryToUtc(day, TimeOnly.MinValue, out var utc) ? utc : day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The agency's staff (counsellors and admins), by name: whose entries the page can show.</summary>
    private async Task<IReadOnlyList<Person>> PeopleAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        var rows = await (
                from m in db.AgencyMemberships.AsNoTracking()
                join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                where m.AgencyId == agencyId
                select new { u.Id, u.UserName, Counsellor = db.Counsellors.Where(c => c.UserId == u.Id).Select(c => c.DisplayName).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new Person(r.Id, r.Counsellor ?? r.UserName ?? r.Id))
            .OrderBy(p => p.Name, StringComparer.CurrentCulture)
            .ToList();
    }

    private string ActorText(AuditEntry entry) => entry switch
    {
        { ActorUserId: null } => t["Unbekannt (Name nicht gespeichert)"],
        { ActorDisplay.Length: > 0 } => entry.ActorDisplay,
        { ActorRole: Roles.Client } => t["Ratsuchende Person"],
        _ => t["Unbekannt"],
    };

    private string RoleText(string role) => role switch
    {
        Roles.Client => t["Ratsuchende Person"],
        Roles.Counsellor => t["Berater:in"],
        Roles.AgencyAdmin => t["Verwaltung"],
        Roles.PlatformAdmin => t["Plattform-Verwaltung"],
        _ => "",
    };

    private string TargetText(AuditEntry entry)
    {
        var type = entry.TargetType switch
        {
            AuditTargetType.User => t["Zugang"].Value,
            AuditTargetType.Counsellor => t["Berater:in"].Value,
            AuditTargetType.MailThread => t["Mailanfrage"].Value,
            AuditTargetType.Agency => t["Beratungsstelle"].Value,
            AuditTargetType.Conversation => t["Chat"].Value,
            AuditTargetType.Absence => t["Abwesenheit"].Value,
            AuditTargetType.Client => t["Ratsuchende Person"].Value,
            AuditTargetType.Appointment => t["Termin"].Value,
            AuditTargetType.Invitation => t["Einladung"].Value,
            _ => entry.TargetType.ToString(),
        };
        // The first part of the id tells entries about the same thing apart without filling a phone's screen.
        return entry.TargetId.Length == 0 ? type : $"{type} {entry.TargetId[..Math.Min(8, entry.TargetId.Length)]}";
    }

    public string ActionText(AuditAction action) => action switch
    {
        AuditAction.LoginSucceeded => t["Anmeldung"],
        AuditAction.LoginFailed => t["Anmeldung fehlgeschlagen"],
        AuditAction.LoginLockedOut => t["Zugang gesperrt"],
        AuditAction.LoginSecondFactorRequired => t["Passwort richtig, zweiter Faktor verlangt"],
        AuditAction.Logout => t["Abmeldung"],
        AuditAction.RoleGranted => t["Rolle vergeben"],
        AuditAction.RoleRevoked => t["Rolle entzogen"],
        AuditAction.MailThreadRead => t["Mailverlauf gelesen"],
        AuditAction.MailQueueViewed => t["Warteschlange angesehen"],
        AuditAction.ChatConversationRead => t["Chat gelesen"],
        AuditAction.ChatHistoryRead => t["Chatnachrichten geladen"],
        AuditAction.ChatListViewed => t["Chatliste angesehen"],
        AuditAction.MailRequestRouted => t["Mailanfrage zugeteilt"],
        AuditAction.MailRequestTaken => t["Mailanfrage übernommen"],
        AuditAction.ChatConversationStarted => t["Chat begonnen"],
        AuditAction.MailThreadClosed => t["Mailanfrage abgeschlossen"],
        AuditAction.MailThreadArchived => t["Mailanfrage archiviert"],
        AuditAction.ChatConversationClosed => t["Chat beendet"],
        AuditAction.AccountStatusChanged => t["Accountstatus geändert"],
        AuditAction.AccountDisabled => t["Zugang deaktiviert"],
        AuditAction.AbsenceCreated => t["Abwesenheit eingetragen"],
        AuditAction.AbsenceChanged => t["Abwesenheit geändert"],
        AuditAction.AbsenceDeleted => t["Abwesenheit gelöscht"],
        AuditAction.RegularClientChanged => t["Stammklient:in geändert"],
        AuditAction.AgencyMailSettingsChanged => t["Mailberatung der Beratungsstelle geändert"],
        AuditAction.AgencySettingsChanged => t["Einstellungen der Beratungsstelle geändert"],
        AuditAction.AgencyClosedForNewRequests => t["Beratungsstelle für neue Anfragen geschlossen"],
        AuditAction.AgencyReopened => t["Beratungsstelle wieder geöffnet"],
        AuditAction.AgencyClosingDaysChanged => t["Schließtage geändert"],
        AuditAction.CounsellorInvited => t["Berater:in eingeladen"],
        AuditAction.CounsellorInvitationAccepted => t["Einladung angenommen"],
        AuditAction.CounsellorRenamed => t["Name einer Berater:in geändert"],
        AuditAction.CounsellorDisabled => t["Zugang deaktiviert"],
        AuditAction.CounsellorEnabled => t["Zugang wieder aktiviert"],
        AuditAction.MailRequestHandedOver => t["Mailanfrage übergeben"],
        AuditAction.AppointmentReassigned => t["Termin übertragen"],
        AuditAction.AgencyCreated => t["Beratungsstelle angelegt"],
        _ => action.ToString(),
    };

    private List<(string Value, string Label)> ActionChoices() =>
        Enum.GetValues<AuditAction>().Select(a => (a.ToString(), ActionText(a))).ToList();
}
