using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Domain.Notifications;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 8, counsellor administration over HTTP: who may use the pages, invitations (existing address, expired and used
/// links, the whole sign-up up to the second factor), name and roles, disabling with hand-over of open requests to the
/// fallback or the queue, re-enabling, reassigning future appointments, and the fallback choice of a disabled person.
/// </summary>
public abstract partial class CounsellorAdminTests(DatabaseKind kind) : MailTestBase(kind)
{
    private const string List = "/verwaltung/berater";
    private const string InvitePage = "/verwaltung/berater/einladen";
    private const string AdminA = "leitung-a@test.lotse";
    private const string AdminB = "leitung-b@test.lotse";
    private const string Dora = "dora@test.lotse";
    private const string NewPassword = "Ein langer Satz als Passwort 7";

    // ---- Access ----

    [Fact]
    public async Task Pages_CounsellorOrClient_Forbidden()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);

        foreach (var login in new[] { Anna, Mond })
        {
            var http = await LoginAsync(login);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(List)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(InvitePage)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"{List}/{anna.Id}")).StatusCode);
        }
    }

    [Fact]
    public async Task EditPage_AdminOfOtherAgency_NotFoundAndNothingChanges()
    {
        var agencyA = await AddAgencyAsync("Lotsenhaus");
        var agencyB = await AddAgencyAsync("Hafenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agencyA);
        await AddAdminAsync(AdminA, agencyA);
        await AddAdminAsync(AdminB, agencyB);
        var adminA = await LoginAsync(AdminA);
        var adminB = await LoginAsync(AdminB);
        var token = await AntiforgeryTokenAsync(adminB, InvitePage);

        Assert.Equal(HttpStatusCode.NotFound, (await adminB.GetAsync($"{List}/{anna.Id}")).StatusCode);
        var disable = await PostAsync(adminB, $"{List}/{anna.Id}?handler=Disable", token, new Dictionary<string, string> { ["confirmed"] = "true" });
        var rename = await PostAsync(adminB, $"{List}/{anna.Id}", token, new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Übernommen",
            ["Input.IsCounsellor"] = "true",
            ["Input.IsAdmin"] = "true",
        });

        Assert.Equal(HttpStatusCode.NotFound, disable.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        Assert.False(await IsDisabledAsync(anna));
        Assert.Equal("anna", (await ReloadCounsellorAsync(anna.Id)).DisplayName);
        Assert.DoesNotContain("anna", await adminB.GetStringAsync(List), StringComparison.Ordinal);
        Assert.Contains("anna", await adminA.GetStringAsync(List), StringComparison.Ordinal);
    }

    // ---- Invitations ----

    [Fact]
    public async Task Invite_EmailWithAccount_RefusedWithMessageAndNothingSent()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, InvitePage, new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Anna Zwei",
            ["Input.Email"] = "ANNA@test.lotse",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Für die E-Mail-Adresse „ANNA@test.lotse“ gibt es schon einen Zugang.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.CounsellorInvitations.CountAsync()));
        Assert.Empty(MailFiles());
    }

    [Fact]
    public async Task Invite_MissingFields_RefusedNamingTheFields()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, InvitePage, new Dictionary<string, string> { ["Input.DisplayName"] = "", ["Input.Email"] = "kein-at" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Bitte füllen Sie das Feld „Name“ aus.", html, StringComparison.Ordinal);
        Assert.Contains("Bitte geben Sie im Feld „E-Mail-Adresse“ eine gültige E-Mail-Adresse ein.", html, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.CounsellorInvitations.CountAsync()));
    }

    [Fact]
    public async Task Invite_ThenLinkFromMail_SetsPasswordSignsInSendsToEnrolmentAndLinkIsSpent()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);

        var link = await InviteAsync(admin, "Nora Neu", "nora@test.lotse");

        // The mail holds the link; only the token's hash is stored.
        var token = link.Split("token=")[1];
        var stored = await WithDbAsync(db => db.CounsellorInvitations.SingleAsync());
        Assert.NotEqual(Uri.UnescapeDataString(token), stored.TokenHash);
        Assert.Contains("eingeladen", await admin.GetStringAsync(List), StringComparison.Ordinal);

        var invitee = Browser();
        var form = await invitee.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("Willkommen, Nora Neu!", WebUtility.HtmlDecode(await form.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var accepted = await AcceptAsync(invitee, token, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(AccountSecuritySetup.EnrolPath, accepted.Headers.Location!.OriginalString);
        // Signed in with the password only: every page leads to the enrolment of the second factor.
        var dashboard = await invitee.GetAsync("/");
        Assert.Equal(AccountSecuritySetup.EnrolPath, dashboard.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await invitee.GetAsync(AccountSecuritySetup.EnrolPath)).StatusCode);
        var enrolled = await PostFormAsync(invitee, AccountSecuritySetup.EnrolPath, new Dictionary<string, string>
        {
            ["Input.Code"] = await TotpCodes.NextAsync(App.Services, "nora@test.lotse"),
        });
        Assert.Contains("data-testid=\"recovery-codes\"", await enrolled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await invitee.GetAsync("/")).StatusCode);

        var nora = await WithDbAsync(db => db.Counsellors.AsNoTracking().SingleAsync(c => c.DisplayName == "Nora Neu"));
        Assert.True(await WithDbAsync(db => db.AgencyMemberships.AnyAsync(m => m.UserId == nora.UserId && m.AgencyId == agency.Id)));
        Assert.Contains("Nora Neu", await Browser().GetStringAsync("/berater"), StringComparison.Ordinal);
        await AuditTestSupport.SingleAsync(App.Services, AuditAction.CounsellorInvited);
        var acceptedEntry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.CounsellorInvitationAccepted);
        Assert.Equal(agency.Id, acceptedEntry.AgencyId);

        // Once only.
        var again = await AcceptAsync(Browser(), token, NewPassword + "x", formPage: null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("Der Einladungslink ist abgelaufen oder wurde schon benutzt.", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, await WithDbAsync(db => db.Counsellors.CountAsync(c => c.DisplayName == "Nora Neu")));
    }

    [Fact]
    public async Task Accept_LinkOlderThanSevenDays_RefusedAndNoAccountMade()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddAdminAsync(AdminA, agency);
        var link = await InviteAsync(await LoginAsync(AdminA), "Nora Neu", "nora@test.lotse");
        App.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        var invitee = Browser();
        var shown = await invitee.GetAsync(link);
        var posted = await AcceptAsync(invitee, link.Split("token=")[1], NewPassword, formPage: null);

        Assert.Equal(HttpStatusCode.BadRequest, shown.StatusCode);
        Assert.Contains("Der Einladungslink ist abgelaufen oder wurde schon benutzt.", WebUtility.HtmlDecode(await shown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.False(await WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "nora@test.lotse")));
    }

    [Fact]
    public async Task Accept_CommonPassword_RefusedWithMessageAndLinkStillValid()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddAdminAsync(AdminA, agency);
        var link = await InviteAsync(await LoginAsync(AdminA), "Nora Neu", "nora@test.lotse");
        var invitee = Browser();
        await invitee.GetAsync(link);

        var refused = await AcceptAsync(invitee, link.Split("token=")[1], "nora@test.lotse");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(await WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "nora@test.lotse")));
        Assert.Null((await WithDbAsync(db => db.CounsellorInvitations.SingleAsync())).UsedUtc);
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(invitee, link.Split("token=")[1], NewPassword)).StatusCode);
    }

    // ---- Name and roles ----

    [Fact]
    public async Task Edit_RenameAndGrantAdmin_SavedAuditedAndSessionEnded()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        var annaHttp = await LoginAsync(Anna);
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, $"{List}/{anna.Id}", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Anna Berger",
            ["Input.IsCounsellor"] = "true",
            ["Input.IsAdmin"] = "true",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Anna Berger", (await ReloadCounsellorAsync(anna.Id)).DisplayName);
        Assert.True(await InRoleAsync(Anna, Roles.AgencyAdmin));
        Assert.True(await InRoleAsync(Anna, Roles.Counsellor));
        Assert.Contains("anna → Anna Berger", (await AuditTestSupport.SingleAsync(App.Services, AuditAction.CounsellorRenamed)).Details, StringComparison.Ordinal);
        Assert.Contains("Rolle Verwaltung vergeben", (await AuditTestSupport.SingleAsync(App.Services, AuditAction.RoleGranted)).Details, StringComparison.Ordinal);
        // The old session ended, so the new role applies at the next sign-in.
        Assert.Equal(HttpStatusCode.Redirect, (await annaHttp.GetAsync("/posteingang")).StatusCode);
    }

    [Fact]
    public async Task Edit_NoRoleOrEmptyName_RefusedNamingTheFieldNothingChanged()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, $"{List}/{anna.Id}", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "",
            ["Input.IsCounsellor"] = "false",
            ["Input.IsAdmin"] = "false",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Bitte wählen Sie im Feld „Rollen“ mindestens eine Rolle.", html, StringComparison.Ordinal);
        Assert.Contains("Bitte füllen Sie das Feld „Name“ aus.", html, StringComparison.Ordinal);
        Assert.True(await InRoleAsync(Anna, Roles.Counsellor));
        Assert.Equal("anna", (await ReloadCounsellorAsync(anna.Id)).DisplayName);
    }

    [Fact]
    public async Task Edit_TakeCounsellorRoleWithOpenRequest_RefusedWithMessage()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        await AddAdminAsync(AdminA, agency);
        await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, $"{List}/{anna.Id}", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "anna",
            ["Input.IsCounsellor"] = "false",
            ["Input.IsAdmin"] = "true",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anna hat noch offene Mailanfragen oder künftige Termine.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.True(await InRoleAsync(Anna, Roles.Counsellor));
        Assert.False(await InRoleAsync(Anna, Roles.AgencyAdmin));
    }

    // ---- Disabling ----

    [Fact]
    public async Task Disable_WithoutConfirmation_RefusedAndNothingChanged()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, $"{List}/{anna.Id}?handler=Disable", new Dictionary<string, string>(), formPage: $"{List}/{anna.Id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bitte bestätigen Sie, dass Sie den Zugang deaktivieren wollen.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await IsDisabledAsync(anna));
    }

    [Fact]
    public async Task Disable_WithAgencyFallback_OpenRequestsGoToFallbackSessionEndsAndHiddenFromClients()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var dora = await AddCounsellorAsync(Dora, NoNewRequests, agency);
        await SetAgencyFallbackAsync(agency, dora);
        await AddClientAsync(Mond);
        await AddAdminAsync(AdminA, agency);
        var mond = await LoginAsync(Mond);
        var open = await SendRequestAsync(mond, $"berater={anna.Id}");
        var closed = await SendRequestAsync(mond, $"berater={anna.Id}", subject: "Zweite Frage");
        var annaHttp = await LoginAsync(Anna);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(annaHttp, closed, "Close")).StatusCode);
        var admin = await LoginAsync(AdminA);

        var confirm = await admin.GetStringAsync($"{List}/{anna.Id}?schritt=deaktivieren");
        var response = await PostFormAsync(admin, $"{List}/{anna.Id}?handler=Disable", new Dictionary<string, string> { ["confirmed"] = "true" }, formPage: $"{List}/{anna.Id}");

        Assert.Contains("1 offene Mailanfragen gehen an die Fallback-Berater:in dora.", WebUtility.HtmlDecode(confirm), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await IsDisabledAsync(anna));
        var moved = await ThreadAsync(open);
        Assert.Equal(dora.Id, moved.CounsellorId);
        Assert.Equal(RouteReason.CounsellorDisabled, moved.RouteReason);
        Assert.Equal(anna.Id, (await ThreadAsync(closed)).CounsellorId);
        Assert.Contains("der Zugang von anna deaktiviert wurde", WebUtility.HtmlDecode(await (await LoginAsync(Dora)).GetStringAsync($"/posteingang/{open}")), StringComparison.Ordinal);
        // Anna's session ended at once and she cannot sign in again.
        Assert.Equal(HttpStatusCode.Redirect, (await annaHttp.GetAsync("/posteingang")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, Browser(), Anna)).StatusCode);
        // Clients no longer find or reach her.
        Assert.DoesNotContain($"/berater/{anna.Id}", await mond.GetStringAsync("/berater"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await mond.GetAsync($"/berater/{anna.Id}")).StatusCode);
        Assert.IsType<MailAddresseeNotFound>(await SendThroughHandlerAsync((await ClientIdAsync(Mond)), new MailAddressee(anna.Id, null), "Hallo", "Text", Guid.NewGuid()));
        Assert.Contains("an dora übergeben", (await AuditTestSupport.SingleAsync(App.Services, AuditAction.CounsellorDisabled)).Details, StringComparison.Ordinal);
        Assert.Equal(open.ToString(), (await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailRequestHandedOver)).TargetId);
    }

    [Fact]
    public async Task Disable_TheAgencyFallbackItself_RequestsGoToQueueAndFallbackCleared()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, anna);
        await AddClientAsync(Mond);
        await AddAdminAsync(AdminA, agency);
        var open = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, $"{List}/{anna.Id}?handler=Disable", new Dictionary<string, string> { ["confirmed"] = "true" }, formPage: $"{List}/{anna.Id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var queued = await ThreadAsync(open);
        Assert.True(queued.IsInQueue);
        Assert.Equal(QueueCause.NoFallback, queued.QueueCause);
        Assert.Null((await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Id == agency.Id))).FallbackCounsellorId);
        Assert.Contains(open, ListedThreads(await (await LoginAsync(Ben)).GetStringAsync("/posteingang/warteschlange")));
        _ = ben;
    }

    [Fact]
    public async Task AgencyMailSettings_DisabledCounsellorAsFallback_RefusedWithGermanMessage()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);
        await DisableAsync(admin, anna);

        var response = await PostFormAsync(admin, "/verwaltung/mailberatung", new Dictionary<string, string>
        {
            ["Input.FallbackCounsellorId"] = anna.Id.ToString(),
            ["Input.ResponseTargetHours"] = "48",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("„anna“ ist deaktiviert und kann nicht Fallback-Berater:in sein.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null((await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Id == agency.Id))).FallbackCounsellorId);
    }

    [Fact]
    public async Task Enable_AfterDisable_CanSignInAndIsListedAgainAudited()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);
        await DisableAsync(admin, anna);
        Assert.Contains("deaktiviert", await admin.GetStringAsync(List), StringComparison.Ordinal);

        var response = await PostFormAsync(admin, $"{List}/{anna.Id}?handler=Enable", new Dictionary<string, string> { ["confirmed"] = "true" }, formPage: $"{List}/{anna.Id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await IsDisabledAsync(anna));
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, Browser(), Anna)).StatusCode);
        Assert.Contains($"/berater/{anna.Id}", await Browser().GetStringAsync("/berater"), StringComparison.Ordinal);
        await AuditTestSupport.SingleAsync(App.Services, AuditAction.CounsellorEnabled);
    }

    // ---- Appointments ----

    [Fact]
    public async Task Reassign_FutureAppointmentOfDisabledCounsellor_MovesAsRequestAndNotifiesBoth()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        var future = await AddAppointmentAsync(anna, mond, Now.AddDays(3), AppointmentStatus.Confirmed);
        var cancelled = await AddAppointmentAsync(anna, mond, Now.AddDays(4), AppointmentStatus.Cancelled);
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);
        await DisableAsync(admin, anna);
        var page = await admin.GetStringAsync($"{List}/{anna.Id}");
        Assert.Contains($"value=\"{future.Id}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{cancelled.Id}\"", page, StringComparison.Ordinal);

        var response = await PostFormAsync(admin, $"{List}/{anna.Id}?handler=Reassign", new Dictionary<string, string>
        {
            ["appointmentId"] = future.Id.ToString(),
            ["newCounsellorId"] = ben.Id.ToString(),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var moved = await WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == future.Id));
        Assert.Equal(ben.Id, moved.CounsellorId);
        Assert.Equal(AppointmentStatus.Requested, moved.Status);
        var notes = await WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.AppointmentId == future.Id).ToListAsync());
        Assert.Contains(notes, n => n.UserId == ben.UserId && n.Kind == NotificationKind.AppointmentRequested);
        Assert.Contains(notes, n => n.UserId == mond.UserId && n.Kind == NotificationKind.AppointmentReassigned);
        Assert.Contains("von anna an ben übertragen", (await AuditTestSupport.SingleAsync(App.Services, AuditAction.AppointmentReassigned)).Details, StringComparison.Ordinal);
        // Ben confirms it where he confirms every request.
        Assert.Contains(future.Id.ToString(), await (await LoginAsync(Ben)).GetStringAsync("/termine"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reassign_ToCounsellorOfOtherAgencyOrBusy_RefusedAndNothingChanged()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var other = await AddAgencyAsync("Hafenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        var carla = await AddCounsellorAsync(Carla, Unlimited, other);
        var mond = await AddClientAsync(Mond);
        var wolke = await AddClientAsync(Wolke);
        var future = await AddAppointmentAsync(anna, mond, Now.AddDays(3), AppointmentStatus.Confirmed);
        await AddAppointmentAsync(ben, wolke, Now.AddDays(3).AddMinutes(20), AppointmentStatus.Confirmed);
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);
        await DisableAsync(admin, anna);

        var toOther = await PostFormAsync(admin, $"{List}/{anna.Id}?handler=Reassign", new Dictionary<string, string>
        {
            ["appointmentId"] = future.Id.ToString(),
            ["newCounsellorId"] = carla.Id.ToString(),
        });
        var toBusy = await PostFormAsync(admin, $"{List}/{anna.Id}?handler=Reassign", new Dictionary<string, string>
        {
            ["appointmentId"] = future.Id.ToString(),
            ["newCounsellorId"] = ben.Id.ToString(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, toOther.StatusCode);
        Assert.Contains("Bitte wählen Sie im Feld „Übertragen an“ eine aktive Berater:in Ihrer Beratungsstelle.", WebUtility.HtmlDecode(await toOther.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, toBusy.StatusCode);
        Assert.Contains("ben hat zu dieser Zeit schon einen Termin.", WebUtility.HtmlDecode(await toBusy.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var kept = await WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == future.Id));
        Assert.Equal(anna.Id, kept.CounsellorId);
        Assert.Equal(AppointmentStatus.Confirmed, kept.Status);
    }

    // ---- Helpers ----

    private async Task<string> InviteAsync(HttpClient admin, string name, string email)
    {
        var before = MailFiles().Count;
        var response = await PostFormAsync(admin, InvitePage, new Dictionary<string, string> { ["Input.DisplayName"] = name, ["Input.Email"] = email });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var files = MailFiles();
        Assert.Equal(before + 1, files.Count);
        var message = await MimeMessage.LoadAsync(files[^1]);
        Assert.Equal(email, message.To.Mailboxes.Single().Address);
        var link = LinkPattern().Match(message.TextBody ?? "").Value;
        Assert.StartsWith("http://127.0.0.1:5080/einladung?token=", link, StringComparison.Ordinal);
        return new Uri(link).PathAndQuery;
    }

    private static async Task<HttpResponseMessage> AcceptAsync(HttpClient http, string token, string password, string? formPage = "")
    {
        var fields = new Dictionary<string, string>
        {
            ["Token"] = Uri.UnescapeDataString(token),
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        };
        // The form page is the invitation itself; for a spent link the sign-in page gives a token for this client.
        var antiforgery = await AntiforgeryTokenAsync(http, formPage == "" ? $"/einladung?token={token}" : "/anmelden");
        return await PostAsync(http, "/einladung", antiforgery, fields);
    }

    private static async Task DisableAsync(HttpClient admin, Counsellor counsellor)
    {
        var response = await PostFormAsync(admin, $"{List}/{counsellor.Id}?handler=Disable", new Dictionary<string, string> { ["confirmed"] = "true" }, formPage: $"{List}/{counsellor.Id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private Task<bool> IsDisabledAsync(Counsellor counsellor) =>
        WithDbAsync(db => db.AccountSecurity.AnyAsync(a => a.UserId == counsellor.UserId && a.DisabledUtc != null));

    private Task<Guid> ClientIdAsync(string nickname) =>
        WithDbAsync(db => db.Clients.Where(c => c.Nickname == nickname).Select(c => c.Id).SingleAsync());

    private async Task<bool> InRoleAsync(string userName, string role)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return await users.IsInRoleAsync((await users.FindByNameAsync(userName))!, role);
    }

    [GeneratedRegex(@"http\S+/einladung\?token=\S+")]
    private static partial Regex LinkPattern();
}

public sealed class CounsellorAdminTestsOnSqlite() : CounsellorAdminTests(DatabaseKind.Sqlite);

public sealed class CounsellorAdminTestsOnPostgres() : CounsellorAdminTests(DatabaseKind.Postgres);
