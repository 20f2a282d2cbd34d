using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Agencies;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>
/// The agency admin's settings of their own agency: name, the support contact its counsellors and clients see, the
/// state whose holidays it is offered, its booking rules; and closing the agency for new requests (all channels) with a
/// message and an agency to turn to, and opening it again.
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class SettingsModel(LotseDb db, AdminAgency adminAgency, AuditLog audit, Counsellors.AvailabilityNotifier availability, TimeProvider clock, IOptions<Appointments.BookingOptions> booking, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record Choice(Guid Id, string Name);

    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    [BindProperty]
    public CloseInput Closing { get; set; } = new();

    [TempData]
    public string? Saved { get; set; }

    public Agency Agency { get; private set; } = null!;

    public IReadOnlyList<Choice> OtherAgencies { get; private set; } = [];

    public Appointments.BookingOptions Defaults => booking.Value;

    /// <summary>The states by their German names, for the select.</summary>
    public static IReadOnlyList<(FederalState State, string Name)> States { get; } =
    [
        (FederalState.BadenWuerttemberg, "Baden-Württemberg"), (FederalState.Bayern, "Bayern"), (FederalState.Berlin, "Berlin"),
        (FederalState.Brandenburg, "Brandenburg"), (FederalState.Bremen, "Bremen"), (FederalState.Hamburg, "Hamburg"),
        (FederalState.Hessen, "Hessen"), (FederalState.MecklenburgVorpommern, "Mecklenburg-Vorpommern"),
        (FederalState.Niedersachsen, "Niedersachsen"), (FederalState.NordrheinWestfalen, "Nordrhein-Westfalen"),
        (FederalState.RheinlandPfalz, "Rheinland-Pfalz"), (FederalState.Saarland, "Saarland"), (FederalState.Sachsen, "Sachsen"),
        (FederalState.SachsenAnhalt, "Sachsen-Anhalt"), (FederalState.SchleswigHolstein, "Schleswig-Holstein"), (FederalState.Thueringen, "Thüringen"),
    ];

    public static string StateName(FederalState state) => States.First(s => s.State == state).Name;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        Input = SettingsInput.From(Agency);
        Closing = new CloseInput { Message = Agency.ClosedMessage, PointerAgencyId = Agency.ClosedPointerAgencyId };
        return Page();
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        if (!IsValid(nameof(Input), Input))
        {
            return Invalid();
        }

        var before = SettingsInput.From(Agency);
        var changes = before.ChangesTo(Input);
        Agency.Rename(Input.Name!);
        Agency.SetSupport(Input.Support(), Input.State!.Value);
        Agency.SetBookingDefaults(Input.MinimumNoticeHours, Input.CancelCutoffHours);
        if (changes.Count > 0)
        {
            await audit.RecordAsync(AuditAction.AgencySettingsChanged, AuditTarget.Of(AuditTargetType.Agency, Agency.Id), Agency.Id, string.Join("; ", changes), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        Saved = t["Die Einstellungen der Beratungsstelle sind gespeichert."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        var valid = IsValid(nameof(Closing), Closing);

        if (Closing.PointerAgencyId is { } pointer && OtherAgencies.All(a => a.Id != pointer))
        {
            ModelState.AddModelError("Closing.PointerAgencyId", t["Bitte wählen Sie eine andere Beratungsstelle aus der Liste."]);
            valid = false;
        }

        if (!valid)
        {
            Input = SettingsInput.From(Agency);
            return Invalid();
        }

        var wasClosed = Agency.IsClosedForNewRequests;
        Agency.CloseForNewRequests(Closing.Message!, Closing.PointerAgencyId, clock.GetUtcNow().UtcDateTime);
        var pointerName = OtherAgencies.FirstOrDefault(a => a.Id == Closing.PointerAgencyId)?.Name ?? "keine";
        await audit.RecordAsync(AuditAction.AgencyClosedForNewRequests, AuditTarget.Of(AuditTargetType.Agency, Agency.Id), Agency.Id,
            (wasClosed ? "Hinweis geändert" : "Geschlossen") + $"; verweist auf: {pointerName}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await TellClientsAsync(cancellationToken);
        Saved = t["Die Beratungsstelle nimmt jetzt keine neuen Anfragen an. Begonnene Gespräche gehen weiter."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReopenAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        if (Agency.IsClosedForNewRequests)
        {
            Agency.Reopen();
            await audit.RecordAsync(AuditAction.AgencyReopened, AuditTarget.Of(AuditTargetType.Agency, Agency.Id), Agency.Id, "Wieder geöffnet", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await TellClientsAsync(cancellationToken);
        }

        Saved = t["Die Beratungsstelle nimmt wieder neue Anfragen an."];
        return RedirectToPage();
    }

    /// <summary>
    /// The page has two forms; a post of one does not validate the other. The other one, not posted at all, is bound by
    /// MVC's fallback to the empty prefix, so its errors come without its prefix: everything outside the posted form
    /// goes. A post without any field of the form (the fallback again) is validated here, under its prefix.
    /// </summary>
    private bool IsValid(string prefix, object form)
    {
        foreach (var key in ModelState.Keys.Where(k => k != prefix && !k.StartsWith(prefix + ".", StringComparison.Ordinal)).ToList())
        {
            ModelState.Remove(key);
        }

        var posted = Request.HasFormContentType && Request.Form.Keys.Any(k => k.StartsWith(prefix + ".", StringComparison.Ordinal));
        return posted ? ModelState.IsValid : TryValidateModel(form, prefix);
    }

    /// <summary>Clients looking at a counsellor's page of this agency see the change at once (as with a status change).</summary>
    private async Task TellClientsAsync(CancellationToken cancellationToken)
    {
        foreach (var counsellorId in await Mail.MailLoads.CounsellorsOfAsync(db, Agency.Id, cancellationToken))
        {
            await availability.ChangedAsync(counsellorId, cancellationToken);
        }
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await adminAgency.FindAsync(cancellationToken) is not { } agency)
        {
            return false;
        }

        Agency = agency;
        OtherAgencies = (await db.Agencies.AsNoTracking().Where(a => a.Id != agency.Id).Select(a => new Choice(a.Id, a.Name)).ToListAsync(cancellationToken))
            .OrderBy(a => a.Name, StringComparer.CurrentCulture)
            .ToList();
        return true;
    }

    public sealed class SettingsInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [StringLength(AgencyRules.MaxNameLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Name der Beratungsstelle")]
        public string? Name { get; set; }

        [StringLength(200, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Ansprechpartner:in oder Team")]
        public string? SupportName { get; set; }

        [StringLength(50, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [RegularExpression(@"^[0-9 +()/\-]*$", ErrorMessage = "Im Feld „{0}“ sind nur Ziffern, Leerzeichen und + ( ) / - erlaubt.")]
        [Display(Name = "Telefon")]
        public string? SupportPhone { get; set; }

        [StringLength(200, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Telefonzeiten")]
        public string? SupportHours { get; set; }

        [StringLength(256, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [EmailAddress(ErrorMessage = "Bitte geben Sie im Feld „{0}“ eine gültige E-Mail-Adresse ein.")]
        [Display(Name = "E-Mail")]
        public string? SupportEmail { get; set; }

        [StringLength(500, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Anschrift")]
        public string? SupportAddress { get; set; }

        [Required(ErrorMessage = "Bitte wählen Sie im Feld „{0}“ ein Bundesland.")]
        [Display(Name = "Bundesland")]
        public FederalState? State { get; set; }

        [Range(0, AgencyRules.MaxBookingHours, ErrorMessage = "Das Feld „{0}“ muss zwischen {1} und {2} liegen.")]
        [Display(Name = "Mindestvorlauf für Buchungen (Stunden)")]
        public int? MinimumNoticeHours { get; set; }

        [Range(0, AgencyRules.MaxBookingHours, ErrorMessage = "Das Feld „{0}“ muss zwischen {1} und {2} liegen.")]
        [Display(Name = "Absagen möglich bis (Stunden vor dem Termin)")]
        public int? CancelCutoffHours { get; set; }

        public static SettingsInput From(Agency agency) => new()
        {
            Name = agency.Name,
            SupportName = agency.Support.Name,
            SupportPhone = agency.Support.Phone,
            SupportHours = agency.Support.Hours,
            SupportEmail = agency.Support.Email,
            SupportAddress = agency.Support.Address,
            State = agency.State,
            MinimumNoticeHours = agency.MinimumNoticeHours,
            CancelCutoffHours = agency.CancelCutoffHours,
        };

        public SupportContactDetails Support() =>
            new(Clean(SupportName), Clean(SupportPhone), Clean(SupportHours), Clean(SupportEmail), Clean(SupportAddress));

        /// <summary>The changed fields for the audit log: names of fields, values only where they are not contact data.</summary>
        public List<string> ChangesTo(SettingsInput next)
        {
            var changes = new List<string>();
            if (Name != next.Name?.Trim())
            {
                changes.Add($"Name: {Name} → {next.Name?.Trim()}");
            }

            if (Support() != next.Support())
            {
                changes.Add("Support-Kontakt geändert");
            }

            if (State != next.State)
            {
                changes.Add($"Bundesland: {(State is { } from ? StateName(from) : "")} → {(next.State is { } to ? StateName(to) : "")}");
            }

            if (MinimumNoticeHours != next.MinimumNoticeHours || CancelCutoffHours != next.CancelCutoffHours)
            {
                changes.Add($"Buchungsregeln: Vorlauf {Hours(MinimumNoticeHours)} → {Hours(next.MinimumNoticeHours)}, Absage bis {Hours(CancelCutoffHours)} → {Hours(next.CancelCutoffHours)}");
            }

            return changes;
        }

        private static string Hours(int? hours) => hours is { } h ? $"{h} h" : "Standard";

        private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public sealed class CloseInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [StringLength(AgencyRules.MaxClosedMessageLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Hinweis für Ratsuchende")]
        public string? Message { get; set; }

        [Display(Name = "Verweis auf eine andere Beratungsstelle")]
        public Guid? PointerAgencyId { get; set; }
    }
}
