using System.Data.Common;
using System.Net;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>
/// "Deletion removes their content from every table, immediately, and a test proves nothing is left" (issue 7): the
/// client deletes their account on "Meine Daten", then every column of every table of the EF model that holds text or
/// ids is searched for anything of theirs. The tables come from the model, not from a list, so a table added later is
/// searched too.
/// </summary>
public abstract class AccountDeletionTests(DatabaseKind kind) : PrivacyTestBase(kind)
{
    [Fact]
    public async Task DeleteAccount_ClientWithContentInEveryTable_NothingOfThemLeftInAnyTable()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var victim = await GiveContentAsync(await AddClientAsync("Zaunkoenig42"), anna, agency, "Zaunkoenig42", slot: 0);
        var other = await GiveContentAsync(await AddClientAsync("Amsel17"), anna, agency, "Amsel17", slot: 1);
        var otherBefore = await RowsOfAsync(other);
        var http = await LoginAsync(victim.Client.Nickname);

        var response = await PostFormAsync(http, "/konto/daten?handler=Delete", new Dictionary<string, string> { ["Input.Password"] = Password }, formPage: "/konto/daten");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/konto/geloescht", response.Headers.Location!.OriginalString);
        var left = await ScanAsync(victim.Needles);
        Assert.True(left.Count == 0, "Left after deletion:\n" + string.Join("\n", left));

        // The scan can find things: everything of the other client is still where it was.
        // (Counselling texts excepted: they are encrypted at rest and so found nowhere in plain form, see EncryptionAtRestTests.)
        var found = await ScanAsync(other.Needles);
        Assert.Equal(other.Needles.Except(other.ContentTexts).Distinct().Order(StringComparer.Ordinal), found.Select(f => f.Needle).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(otherBefore, await RowsOfAsync(other));
    }

    [Fact]
    public async Task DeleteAccount_UpcomingAppointments_CounsellorToldWithoutTimeOrName()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var victim = await GiveContentAsync(await AddClientAsync("Zaunkoenig42"), anna, agency, "Zaunkoenig42", slot: 0);

        await DeleteThroughHandlerAsync(victim.Client.Id);

        // Two appointments were still to come (one confirmed, one requested); the past and the declined one tell nobody.
        var notices = await WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.UserId == anna.UserId).ToListAsync());
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n =>
        {
            Assert.Equal(NotificationKind.AppointmentCancelledAccountDeleted, n.Kind);
            Assert.Null(n.AppointmentId);
            Assert.Null(n.MailThreadId);
        });
        var annaHttp = await LoginAsync(Anna);
        var page = await annaHttp.GetStringAsync("/benachrichtigungen");
        Assert.Contains("Ein Termin wurde abgesagt, weil die ratsuchende Person ihr Konto gelöscht hat.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Zaunkoenig42", page, StringComparison.Ordinal);
        Assert.Empty(await WithDbAsync(db => db.Appointments.AsNoTracking().Where(a => a.CounsellorId == anna.Id).ToListAsync()));
    }

    [Fact]
    public async Task DeleteAccount_OpenRequestFillsCounsellorsLastSlot_SlotFreesForNextRequest()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(1), agency);
        var dora = await AddCounsellorAsync("dora@test.lotse", Unlimited, agency);
        await SetAgencyFallbackAsync(agency, dora);
        var mond = await AddClientAsync(Mond);
        var wolke = await AddClientAsync(Wolke);
        var mondHttp = await LoginAsync(Mond);
        var first = await SendRequestAsync(mondHttp, $"berater={anna.Id}");
        Assert.Equal(anna.Id, (await ThreadAsync(first)).CounsellorId);

        Assert.IsType<Lotse.Web.Features.Privacy.ClientDeleted>(await DeleteThroughHandlerAsync(mond.Id));
        var next = await SendRequestAsync(await LoginAsync(Wolke), $"berater={anna.Id}");

        // Had Mond's request stayed, Anna's only slot would be taken and this one would go to Dora.
        Assert.Equal(anna.Id, (await ThreadAsync(next)).CounsellorId);
        Assert.False(await ClientExistsAsync(mond.Id));
        Assert.True(await ClientExistsAsync(wolke.Id));
    }

    public sealed record Hit(string Table, string Column, string Needle)
    {
        public override string ToString() => $"  {Table}.{Column} holds „{Needle}“";
    }

    /// <summary>
    /// Every column of every table in the EF model whose values are text or ids (strings, GUIDs, and whatever a converter
    /// stores as text), searched with raw SQL for each needle, as it is and in lower case (GUIDs are upper case in SQLite).
    /// </summary>
    private async Task<List<Hit>> ScanAsync(IEnumerable<string> needles)
    {
        var wanted = needles.Where(n => n.Length > 0).Distinct().ToList();
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var columns = SearchableColumns(db.Model);
        Assert.True(columns.Count > 30, $"Only {columns.Count} columns found in the model: the scan would prove nothing.");
        Assert.Contains(columns, c => c.Table == "AspNetUsers" && c.Column == "UserName");
        Assert.Contains(columns, c => c.Table == "MailMessages" && c.Column == "Body");

        var contains = db.Database.IsNpgsql() ? "strpos({0}, {1}) > 0" : "instr({0}, {1}) > 0";
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var hits = new List<Hit>();
        foreach (var (table, column) in columns)
        {
            var value = $"CAST(\"{column}\" AS TEXT)";
            foreach (var needle in wanted)
            {
                if (table == Lotse.Web.Data.AuditLogSchema.Table && Guid.TryParse(needle, out _))
                {
                    // The audit log is append-only and keeps which account did what (decision: ids that now point to
                    // nothing, never content, nickname or e-mail); it is still searched for everything else.
                    continue;
                }

                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE "
                    + string.Format(System.Globalization.CultureInfo.InvariantCulture, contains, value, "@raw") + " OR "
                    + string.Format(System.Globalization.CultureInfo.InvariantCulture, contains, $"lower({value})", "@lower");
                Add(command, "@raw", needle);
                Add(command, "@lower", needle.ToLowerInvariant());
                if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    hits.Add(new Hit(table, column, needle));
                }
            }
        }

        return hits;
    }

    private static List<(string Table, string Column)> SearchableColumns(IModel model)
    {
        var columns = new HashSet<(string, string)>();
        foreach (var entity in model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } table)
            {
                continue;
            }

            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                var stored = property.GetTypeMapping().Converter?.ProviderClrType ?? property.ClrType;
                stored = Nullable.GetUnderlyingType(stored) ?? stored;
                if ((stored == typeof(string) || stored == typeof(Guid)) && property.GetColumnName(store) is { } column)
                {
                    columns.Add((table, column));
                }
            }
        }

        return columns.Order().ToList();
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>How many rows of each kind belong to a client: unchanged for the client who was not deleted.</summary>
    private Task<string> RowsOfAsync(ClientTrace trace) =>
        WithDbAsync(async db =>
        {
            var id = trace.Client.Id;
            var userId = trace.Client.UserId;
            var threads = db.MailThreads.Where(t => t.ClientId == id).Select(t => t.Id);
            var chats = db.Conversations.Where(c => c.ClientId == id).Select(c => c.Id);
            return string.Join(
                ", ",
                $"threads {await threads.CountAsync()}",
                $"mails {await db.MailMessages.CountAsync(m => threads.Contains(m.ThreadId))}",
                $"chats {await chats.CountAsync()}",
                $"chat messages {await db.ChatMessages.CountAsync(m => chats.Contains(m.ConversationId))}",
                $"appointments {await db.Appointments.CountAsync(a => a.ClientId == id)}",
                $"relations {await db.CounsellingRelations.CountAsync(r => r.ClientId == id && r.IsRegularClient)}",
                $"notifications {await db.Notifications.CountAsync(n => n.UserId == userId)}",
                $"user {await db.Users.CountAsync(u => u.Id == userId)}",
                $"roles {await db.UserRoles.CountAsync(r => r.UserId == userId)}",
                $"claims {await db.UserClaims.CountAsync(c => c.UserId == userId)}",
                $"logins {await db.UserLogins.CountAsync(l => l.UserId == userId)}",
                $"tokens {await db.UserTokens.CountAsync(t => t.UserId == userId)}");
        });
}

public sealed class AccountDeletionTestsOnSqlite() : AccountDeletionTests(DatabaseKind.Sqlite);

public sealed class AccountDeletionTestsOnPostgres() : AccountDeletionTests(DatabaseKind.Postgres);
