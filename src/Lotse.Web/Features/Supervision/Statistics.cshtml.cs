using System.Globalization;
using System.Text;
using Lotse.Domain.Supervision;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Supervision;

/// <summary>
/// "/verwaltung/statistik?monat=2026-11": the figures of one month of the admin's agency, with a bar chart drawn on the
/// server (SVG, no script) and a CSV export for German Excel (UTF-8 with BOM, ";" between fields, decimal comma).
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class StatisticsModel(AgencyAdmin.AdminAgency agencies, LoadStatistics load, TimeProvider clock, SupervisionTexts texts, IStringLocalizer<SharedResource> t) : PageModel
{
    public const string MonthField = "monat";

    [BindProperty(SupportsGet = true, Name = MonthField)]
    public string? MonthText { get; set; }

    public string AgencyName { get; private set; } = "";

    public StatisticsMonth Month { get; private set; } = null!;

    public MonthFigures? Figures { get; private set; }

    /// <summary>"November 2026" / "November 2026" in the UI language.</summary>
    public string MonthName => new DateTime(Month.Year, Month.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).ToString("MMMM yyyy", CultureInfo.CurrentCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await agencies.FindAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        AgencyName = agency.Name;
        if (ReadMonth() is not { } month)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Figures = await load.LoadAsync(agency, month, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (await agencies.FindAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        if (ReadMonth() is not { } month)
        {
            return new ContentResult
            {
                StatusCode = StatusCodes.Status400BadRequest,
                Content = ModelState[MonthField]!.Errors[0].ErrorMessage,
                ContentType = "text/plain; charset=utf-8",
            };
        }

        var figures = await load.LoadAsync(agency, month, cancellationToken);
        var csv = Csv(figures);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray();
        return File(bytes, "text/csv; charset=utf-8", $"lotse-statistik-{month}.csv");
    }

    public string MonthLink(StatisticsMonth month) => $"/verwaltung/statistik?{MonthField}={month}";

    /// <summary>
    /// One row per figure: "Monat;Kennzahl;Wert". German labels whatever the UI language, so that files of different
    /// months and people line up in one spreadsheet. Every value is a number or empty: no text of anyone gets in.
    /// </summary>
    private static string Csv(MonthFigures figures)
    {
        var month = figures.Month.ToString();
        var rows = new List<(string Label, string Value)>();
        foreach (var (channel, count) in figures.ByChannel)
        {
            rows.Add(("Anfragen " + GermanChannel(channel), Number(count)));
        }

        rows.Add(("Anfragen gesamt", Number(figures.Requests)));
        rows.Add(("Mailanfragen zugeteilt", Number(figures.Routed)));
        rows.Add(("Mailanfragen weitergeleitet", Number(figures.Forwarded)));
        rows.Add(("Mailanfragen Warteschlange", Number(figures.Queued)));
        rows.Add(("Mailanfragen beantwortet", Number(figures.Answered)));
        rows.Add(("Antwortzeit p50 (Stunden)", SupervisionTexts.Hours(figures.ResponseP50)));
        rows.Add(("Antwortzeit p90 (Stunden)", SupervisionTexts.Hours(figures.ResponseP90)));
        rows.Add(("Termine stattgefunden", Number(figures.AppointmentsHeld)));
        rows.Add(("Termine abgesagt", Number(figures.AppointmentsCancelled)));

        var text = new StringBuilder("Monat;Kennzahl;Wert\r\n");
        foreach (var (label, value) in rows)
        {
            text.Append(month).Append(';').Append(label).Append(';').Append(value).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string GermanChannel(RequestChannel channel) => channel switch
    {
        RequestChannel.Mail => "Mail",
        RequestChannel.Chat => "Chat",
        RequestChannel.Video => "Termin Video",
        RequestChannel.Phone => "Termin Telefon",
        RequestChannel.ChatAppointment => "Termin Chat",
        _ => "Termin vor Ort",
    };

    private StatisticsMonth? ReadMonth()
    {
        if (string.IsNullOrWhiteSpace(MonthText))
        {
            Month = StatisticsMonth.Containing(clock.GetUtcNow().UtcDateTime, BerlinTime.Zone);
            return Month;
        }

        if (StatisticsMonth.TryParse(MonthText, out var month))
        {
            Month = month;
            return month;
        }

        Month = StatisticsMonth.Containing(clock.GetUtcNow().UtcDateTime, BerlinTime.Zone);
        ModelState.AddModelError(MonthField, t["Das Feld „Monat“ braucht einen Monat in der Form JJJJ-MM, zum Beispiel 2026-11."]);
        return null;
    }

    /// <summary>The bars of the chart: label and count, in the order shown.</summary>
    public IReadOnlyList<(string Label, int Count)> Bars(MonthFigures figures) =>
        figures.ByChannel.Select(c => (texts.Channel(c.Channel), c.Count))
            .Concat([(t["Mail zugeteilt"].Value, figures.Routed), (t["Mail weitergeleitet"].Value, figures.Forwarded), (t["Mail Warteschlange"].Value, figures.Queued)])
            .ToList();
}
