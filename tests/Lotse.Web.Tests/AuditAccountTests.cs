using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>The audit entries of sign-in, registration, account status and absences, made through the app as people use it.</summary>
public abstract class AuditAccountTests(DatabaseKind kind) : WebTest(kind)
{
    private const string Anna = "anna@test.lotse";

    [Fact]
    public async Task Login_Succeeds_RecordsUserRoleAndTime()
    {
        var anna = await AddCounsellorAsync(Anna);
        App.Clock.Advance(TimeSpan.FromMinutes(7));

        await LoginAsync(Anna);

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.LoginSucceeded);
        Assert.Equal((anna.UserId, "anna", Roles.Counsellor), (entry.ActorUserId, entry.ActorDisplay, entry.ActorRole));
        Assert.Equal((AuditTargetType.User, anna.UserId), (entry.TargetType, entry.TargetId));
        Assert.Equal(Now, entry.OccurredUtc);
    }

    [Fact]
    public async Task Login_WrongPasswordOfKnownUser_RecordsFailureForThatUser()
    {
        var anna = await AddCounsellorAsync(Anna);

        var response = await PostFormAsync(Browser(), "/anmelden", Form(Anna, "Falsches-Passwort-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.LoginFailed);
        Assert.Equal(anna.UserId, entry.ActorUserId);
        Assert.Equal("Falsches Passwort", entry.Details);
        Assert.Empty(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.LoginSucceeded));
    }

    [Fact]
    public async Task Login_UnknownName_RecordsFailureWithoutTheTypedName()
    {
        // Someone typed their password into the name field: it must not land in the log.
        const string typed = "MeinGeheimesPasswort2026";

        await PostFormAsync(Browser(), "/anmelden", Form(typed, "irgendwas-langes"));

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.LoginFailed);
        Assert.Null(entry.ActorUserId);
        Assert.Equal("Unbekannter Name", entry.Details);
        Assert.DoesNotContain(typed, await AuditTestSupport.EverythingStoredAsync(App.Services), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_FifthFailure_RecordsLockout()
    {
        var anna = await AddCounsellorAsync(Anna);

        for (var i = 0; i < 5; i++)
        {
            await PostFormAsync(Browser(), "/anmelden", Form(Anna, "Falsches-Passwort-" + i));
        }

        Assert.Equal(4, (await AuditTestSupport.EntriesAsync(App.Services, AuditAction.LoginFailed)).Count);
        var locked = await AuditTestSupport.SingleAsync(App.Services, AuditAction.LoginLockedOut);
        Assert.Equal(anna.UserId, locked.ActorUserId);
    }

    [Fact]
    public async Task Logout_SignedIn_RecordsLogout()
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        App.Clock.Advance(TimeSpan.FromMinutes(3));

        var response = await PostFormAsync(http, "/abmelden", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.Logout);
        Assert.Equal((anna.UserId, Now), (entry.ActorUserId, entry.OccurredUtc));
    }

    [Fact]
    public async Task Register_NewClient_RecordsRoleGrantedWithoutNickname()
    {
        var response = await PostFormAsync(Browser(), "/registrieren", new Dictionary<string, string>
        {
            ["Input.Nickname"] = "Sternschnuppe",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the page with the one-time recovery code
        var userId = await WithDbAsync(db => db.Users.Where(u => u.UserName == "Sternschnuppe").Select(u => u.Id).SingleAsync());
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.RoleGranted);
        Assert.Equal((userId, Roles.Client, AuditTargetType.User, userId), (entry.ActorUserId, entry.ActorRole, entry.TargetType, entry.TargetId));
        Assert.Contains("Ratsuchende Person", entry.Details, StringComparison.Ordinal);
        // An undeletable table keeps no nickname of an advice seeker.
        Assert.DoesNotContain("Sternschnuppe", await AuditTestSupport.EverythingStoredAsync(App.Services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountStatus_ChatModeChanged_RecordsOldAndNewMode()
    {
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, 10));
        var http = await LoginAsync(Anna);
        App.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await PostFormAsync(http, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "true",
            ["Status.Chat"] = "NotOnline",
            ["Status.Mail"] = "Unlimited",
        }, formPage: "/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.AccountStatusChanged);
        Assert.Equal((anna.UserId, AuditTargetType.Counsellor, anna.Id.ToString(), Now), (entry.ActorUserId, entry.TargetType, entry.TargetId, entry.OccurredUtc));
        Assert.Equal("nur für Stammklient:innen: aus → an; Chat: Online → Nicht Online", entry.Details);
    }

    [Fact]
    public async Task AccountStatus_EntryCannotBeWritten_ChangeNotSavedEither()
    {
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, 10));
        var http = await LoginAsync(Anna);
        var token = await AntiforgeryTokenAsync(http, "/");
        await AuditTestSupport.RefuseInsertsAsync(App.Services);

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "false",
            ["Status.Chat"] = "NotReachable",
            ["Status.Mail"] = "Unlimited",
            ["__RequestVerificationToken"] = token,
        });
        var response = await http.PostAsync("/?handler=Status", content);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(ChatMode.Online, (await ReloadCounsellorAsync(anna.Id)).ChatMode);
    }

    [Fact]
    public async Task MailCapacity_Changed_RecordsN()
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);

        var response = await PostFormAsync(http, "/einstellungen/mailberatung", new Dictionary<string, string> { ["Input.MailCapacity"] = "3" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.AccountStatusChanged);
        Assert.Equal((anna.UserId, "N: 10 → 3"), (entry.ActorUserId, entry.Details));
    }

    [Fact]
    public async Task Absence_CreatedChangedDeleted_RecordsEachWithoutNote()
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);

        var created = await PostFormAsync(http, "/abwesenheiten/neu", AbsenceForm("2026-12-07", "2026-12-08", "Kur in Bad Wörishofen"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var absenceId = await WithDbAsync(db => db.Absences.Where(a => a.CounsellorId == anna.Id).Select(a => a.Id).SingleAsync());
        var changed = await PostFormAsync(http, $"/abwesenheiten/{absenceId}/bearbeiten", AbsenceForm("2026-12-07", "2026-12-09", "Kur in Bad Wörishofen"), formPage: "/abwesenheiten/neu");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var deleted = await PostFormAsync(http, $"/abwesenheiten/{absenceId}/loeschen", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);

        var entries = await AuditTestSupport.EntriesAsync(App.Services);
        Assert.Equal(
            [AuditAction.AbsenceCreated, AuditAction.AbsenceChanged, AuditAction.AbsenceDeleted],
            entries.Where(e => e.TargetType == AuditTargetType.Absence).Select(e => e.Action));
        Assert.All(entries.Where(e => e.TargetType == AuditTargetType.Absence), e => Assert.Equal((anna.UserId, absenceId.ToString()), (e.ActorUserId, e.TargetId)));
        Assert.Equal("Berater:in anna: 07.12.2026 00:00 – 09.12.2026 00:00", entries.Single(e => e.Action == AuditAction.AbsenceCreated).Details);
        Assert.Contains("→ 07.12.2026 00:00 – 10.12.2026 00:00", entries.Single(e => e.Action == AuditAction.AbsenceChanged).Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Wörishofen", await AuditTestSupport.EverythingStoredAsync(App.Services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditTable_RawUpdate_RefusedByDatabase()
    {
        await AddCounsellorAsync(Anna);
        await LoginAsync(Anna);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => WithDbAsync(db =>
            db.Database.ExecuteSqlRawAsync($"UPDATE \"{AuditLogSchema.Table}\" SET \"Details\" = 'geschönt'")));

        Assert.Contains(AuditLogSchema.RefusalMessage, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditTestSupport.EntriesAsync(App.Services), e => e.Details == "geschönt");
    }

    [Fact]
    public async Task AuditTable_RawDelete_RefusedByDatabase()
    {
        await AddCounsellorAsync(Anna);
        await LoginAsync(Anna);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => WithDbAsync(db =>
            db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{AuditLogSchema.Table}\"")));

        Assert.Contains(AuditLogSchema.RefusalMessage, error.Message, StringComparison.Ordinal);
        // Both sign-in steps (password, then the second factor) are still there.
        Assert.Equal(2, (await AuditTestSupport.EntriesAsync(App.Services)).Count);
    }

    [Fact]
    public async Task AuditTable_DeleteThroughEf_Refused()
    {
        await AddCounsellorAsync(Anna);
        await LoginAsync(Anna);

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => WithDbAsync(async db =>
        {
            db.AuditEntries().RemoveRange(await db.AuditEntries().ToListAsync());
            await db.SaveChangesAsync();
        }));

        Assert.Equal(2, (await AuditTestSupport.EntriesAsync(App.Services)).Count);
    }

    private static Dictionary<string, string> Form(string login, string password) => new()
    {
        ["Input.Login"] = login,
        ["Input.Password"] = password,
    };

    private static Dictionary<string, string> AbsenceForm(string from, string to, string note) => new()
    {
        ["Form.WholeDays"] = "true",
        ["Form.FromDate"] = from,
        ["Form.ToDate"] = to,
        ["Form.Note"] = note,
    };
}

public sealed class AuditAccountTestsOnSqlite() : AuditAccountTests(DatabaseKind.Sqlite);

public sealed class AuditAccountTestsOnPostgres() : AuditAccountTests(DatabaseKind.Postgres)
{
    [Fact]
    public async Task AuditTable_Truncate_RefusedByPostgres()
    {
        await AddCounsellorAsync("anna@test.lotse");
        await LoginAsync("anna@test.lotse");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => WithDbAsync(db =>
            db.Database.ExecuteSqlRawAsync($"TRUNCATE \"{AuditLogSchema.Table}\"")));

        Assert.Contains(AuditLogSchema.RefusalMessage, error.Message, StringComparison.Ordinal);
        // Both sign-in steps (password, then the second factor) are still there.
        Assert.Equal(2, (await AuditTestSupport.EntriesAsync(App.Services)).Count);
    }
}
