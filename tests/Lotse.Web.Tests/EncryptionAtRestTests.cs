using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 7, "Data": counselling content is encrypted at rest (AES-256-GCM under the Data Protection key ring, which is
/// kept in the database). The raw database, read with plain SQL, holds none of what people wrote; the app shows it as
/// written; a second instance on the same database reads it and accepts the first one's sign-in cookie.
/// </summary>
public abstract partial class EncryptionAtRestTests(DatabaseKind kind) : ChatTestBase(kind)
{
    // Distinct texts (with umlauts, so that an encoding slip would show too) that appear nowhere else.
    private const string ChatText = "Chat-Geheimnis: Ich habe Angst vor der Prüfung";
    private const string ChatAnswer = "Chat-Antwort: Wir schauen uns das gemeinsam an";
    private const string MailSubject = "Betreff-Geheimnis Schulden über Kopf";
    private const string MailBody = "Mail-Geheimnis: Seit Monaten öffne ich keine Briefe mehr.";
    private const string MailFollowUp = "Nachtrag-Geheimnis: Der Vermieter droht mit Kündigung.";
    private const string MailReply = "Antwort-Geheimnis: Bitte bringen Sie die Briefe mit.";
    private const string Topic = "Thema-Geheimnis Spielsucht";
    private const string Reason = "Begründung-Geheimnis: Bitte nehmen Sie den Donnerstag";

    private static readonly string[] Plaintexts = [ChatText, ChatAnswer, MailSubject, MailBody, MailFollowUp, MailReply, Topic, Reason];

    private static readonly DateTime WednesdayNine = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    private readonly List<LotseAppFactory> _more = [];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var app in _more)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task RawDatabase_AfterChatMailAndAppointments_HoldsNoPlaintextAndPagesShowIt()
    {
        var (conversationId, threadId) = await WriteEverythingAsync();

        // The raw database: every column of every table, read with plain SQL, not through EF Core's mapping.
        var cells = await RawCellsAsync(App);
        foreach (var plaintext in Plaintexts)
        {
            var found = cells.Where(c => c.Value.Contains(plaintext, StringComparison.Ordinal)).Select(c => $"{c.Table}.{c.Column}").ToList();
            Assert.True(found.Count == 0, $"„{plaintext}“ is stored readable in {string.Join(", ", found)}.");
        }

        // Not vacuous: the scan saw the stored content, as Data Protection payloads (base64url of magic header 09 F0 C9 F0).
        string[] protectedColumns = ["ChatMessages.Body", "MailMessages.Body", "MailThreads.Subject", "Appointments.Topic", "Appointments.DeclineReason"];
        foreach (var column in protectedColumns)
        {
            var values = cells.Where(c => $"{c.Table}.{c.Column}" == column && c.Value.Length > 0).Select(c => c.Value).ToList();
            Assert.NotEmpty(values);
            Assert.All(values, v => Assert.StartsWith("CfDJ8", v, StringComparison.Ordinal));
        }

        Assert.Equal(2, cells.Count(c => c.Table == "ChatMessages" && c.Column == "Body"));
        Assert.Equal(3, cells.Count(c => c.Table == "MailMessages" && c.Column == "Body"));
        if (App.Kind == DatabaseKind.Sqlite)
        {
            // Also the file bytes themselves (database, write-ahead log): nothing readable in a page or a log frame.
            await AssertFilesHoldNoPlaintextAsync(App);
        }

        // And the people see what they wrote, through every read path.
        var counsellor = await LoginAsync(Anna);
        var client = await LoginAsync(Mond);
        var counsellorChat = WebUtility.HtmlDecode(await counsellor.GetStringAsync($"/chats/{conversationId}"));
        Assert.Contains(ChatText, counsellorChat, StringComparison.Ordinal);
        Assert.Contains(ChatAnswer, counsellorChat, StringComparison.Ordinal);
        Assert.Contains(ChatAnswer[..20], WebUtility.HtmlDecode(await client.GetStringAsync("/chat")), StringComparison.Ordinal); // the list's preview
        var history = await (await ConnectAsync(Mond)).Hub.InvokeAsync<ChatMessagePage>("History", conversationId, null, 50);
        Assert.Equal([ChatText, ChatAnswer], history.Messages.Select(m => m.Body));
        var clientThread = WebUtility.HtmlDecode(await client.GetStringAsync($"/anfragen/{threadId}"));
        foreach (var text in new[] { MailSubject, MailBody, MailFollowUp, MailReply })
        {
            Assert.Contains(text, clientThread, StringComparison.Ordinal);
        }

        Assert.Contains(MailSubject, WebUtility.HtmlDecode(await counsellor.GetStringAsync("/posteingang")), StringComparison.Ordinal);
        Assert.Contains(MailSubject, WebUtility.HtmlDecode(await client.GetStringAsync("/anfragen")), StringComparison.Ordinal);
        Assert.Contains(Topic, WebUtility.HtmlDecode(await counsellor.GetStringAsync("/termine")), StringComparison.Ordinal);
        Assert.Contains(Reason, WebUtility.HtmlDecode(await client.GetStringAsync("/meine-termine")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondInstance_SameDatabase_AcceptsTheFirstOnesCookieAndReadsTheContent()
    {
        var (conversationId, threadId) = await WriteEverythingAsync();
        var cookies = await SignInAsync(App, Mond); // signed in on the first instance

        var b = StartInstance(App.DatabaseName);
        using var onB = b.CreateDefaultClient(LotseAppFactory.HttpsBase, new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
        var page = await onB.GetAsync($"/anfragen/{threadId}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains(MailBody, html, StringComparison.Ordinal);
        Assert.Contains(MailReply, html, StringComparison.Ordinal);
        var history = await (await ConnectAsync(Anna, b)).Hub.InvokeAsync<ChatMessagePage>("History", conversationId, null, 50);
        Assert.Equal([ChatText, ChatAnswer], history.Messages.Select(m => m.Body));
        // What B writes, A reads: one key ring, whoever created the key.
        var fromB = await SendAsync(await ConnectAsync(Anna, b), conversationId, "Von Instanz B geschrieben");
        Assert.Equal("Von Instanz B geschrieben", (await StoredMessagesAsync(conversationId)).Single(m => m.Id == fromB.Id).Body);
    }

    [Fact]
    public async Task OtherDatabase_CookieOfThisOne_IsNotAccepted()
    {
        await AddClientAsync(Mond);
        var cookies = await SignInAsync(App, Mond);

        // Another installation (its own database, so its own key ring) in the same process, folder and user account:
        // keys in a shared folder would let it read this cookie.
        var other = StartInstance(databaseName: null);
        using var http = other.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/anfragen");
        request.Headers.Add("Cookie", cookies.GetCookieHeader(LotseAppFactory.HttpsBase));
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/anmelden", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRing_InTheDatabase_IsAes256GcmUnderTheFixedApplicationName()
    {
        await AddClientAsync(Mond);
        await SignInAsync(App, Mond); // the first cookie creates the first key

        var keys = (await RawCellsAsync(App)).Where(c => c.Table == "DataProtectionKeys" && c.Column == "Xml").Select(c => c.Value).ToList();

        var key = Assert.Single(keys);
        Assert.Contains("<encryption algorithm=\"AES_256_GCM\" />", key, StringComparison.Ordinal);
        Assert.Equal(KeyRingSetup.ApplicationName, App.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        var manager = App.Services.GetRequiredService<IKeyManager>();
        Assert.Single(manager.GetAllKeys());
    }

    [Fact]
    public async Task DemoData_Seeded_IsStoredEncryptedAndShownReadable()
    {
        var demo = new LotseAppFactory(App.Kind, seedDemoData: true);
        _more.Add(demo);
        _ = demo.Server;

        var cells = await RawCellsAsync(demo);
        Assert.DoesNotContain(cells, c => c.Value.Contains("Prüfungsangst", StringComparison.Ordinal) || c.Value.Contains("Abschlussprüfung", StringComparison.Ordinal));
        using var http = demo.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = LotseAppFactory.HttpsBase, AllowAutoRedirect = false, HandleCookies = true });
        var login = await SignInThroughFormAsync(demo, http, Lotse.Web.Features.Accounts.DemoData.AnnaEmail, Lotse.Web.Features.Accounts.DemoData.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("Prüfungsangst", WebUtility.HtmlDecode(await http.GetStringAsync("/posteingang")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRing_WithKeyCertificate_HoldsNoUsableKeyWithoutIt()
    {
        var pfx = Path.Combine(Path.GetTempPath(), "lotse-tests", $"keys-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Lotse key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-passwort"));
        }

        try
        {
            var settings = new Dictionary<string, string> { ["DataProtection:KeyCertificatePath"] = pfx, ["DataProtection:KeyCertificatePassword"] = "pfx-passwort" };
            var withCertificate = new LotseAppFactory(App.Kind, settings: settings);
            _more.Add(withCertificate);
            var stored = withCertificate.Services.GetRequiredService<CounsellingContent>().Protect(ChatText);

            var key = Assert.Single((await RawCellsAsync(withCertificate)).Where(c => c.Table == "DataProtectionKeys" && c.Column == "Xml").Select(c => c.Value));
            Assert.Contains("EncryptedXmlDecryptor", key, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
            // Another instance with the certificate reads the content; one without it cannot, although the key is in the table.
            var sameCertificate = StartInstance(withCertificate.DatabaseName, settings);
            Assert.Equal(ChatText, sameCertificate.Services.GetRequiredService<CounsellingContent>().Reveal(stored));
            var noCertificate = StartInstance(withCertificate.DatabaseName);
            Assert.ThrowsAny<CryptographicException>(() => noCertificate.Services.GetRequiredService<CounsellingContent>().Reveal(stored));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task Columns_LongestTextOfThreeByteCharacters_FitsAsCiphertext()
    {
        var (_, _, conversationId, _) = await ChattingAsync();
        // '€' takes 3 bytes in UTF-8: the longest ciphertext of a message that the rules allow.
        var longest = new string('€', ChatMessage.MaxLength);

        var sent = await SendAsync(await ConnectAsync(Mond), conversationId, longest);
        var subject = new string('€', MailThread.MaxSubjectLength);
        var body = new string('€', MailMessage.MaxLength);
        var threadId = await WithDbAsync(async db =>
        {
            var thread = new MailThread(Guid.NewGuid(), await AnAgencyAsync(db), await db.Clients.Select(c => c.Id).SingleAsync(), null, subject,
                new RoutingDecision(null, RouteKind.Queue, RouteReason.NobodyFree, null, QueueCause.NoFallback), Guid.NewGuid(), Now);
            db.MailThreads.Add(thread);
            db.MailMessages.Add(new MailMessage(thread.Id, MailSide.Client, body, Guid.NewGuid(), Now));
            await db.SaveChangesAsync();
            return thread.Id;
        });

        Assert.Equal(longest, (await StoredMessagesAsync(conversationId)).Single(m => m.Id == sent.Id).Body);
        Assert.Equal(subject, (await WithDbAsync(db => db.MailThreads.AsNoTracking().SingleAsync(t => t.Id == threadId))).Subject);
        Assert.Equal(body, (await WithDbAsync(db => db.MailMessages.AsNoTracking().SingleAsync(m => m.ThreadId == threadId))).Body);
    }

    [Fact]
    public void Reveal_TamperedCiphertext_Throws()
    {
        var content = App.Services.GetRequiredService<CounsellingContent>();
        var stored = content.Protect(ChatText);
        var tampered = stored[..^6] + (stored[^6] == 'A' ? 'B' : 'A') + stored[^5..];

        Assert.Equal(ChatText, content.Reveal(stored));
        Assert.ThrowsAny<CryptographicException>(() => content.Reveal(tampered));
        Assert.ThrowsAny<CryptographicException>(() => content.Reveal(ChatText)); // plaintext is never taken for content
    }

    [Fact]
    public async Task SavedEntity_AfterSave_HoldsPlaintextAndIsNotWrittenAgain()
    {
        var (_, _, conversationId, _) = await ChattingAsync();
        await SendAsync(await ConnectAsync(Mond), conversationId, ChatText);

        await WithDbAsync(async db =>
        {
            var message = new ChatMessage(conversationId, ChatSide.Client, Guid.NewGuid(), ChatAnswer, Now);
            db.ChatMessages.Add(message);
            await db.SaveChangesAsync();
            Assert.Equal(ChatAnswer, message.Body);
            Assert.Equal(EntityState.Unchanged, db.Entry(message).State);
            var loaded = await db.ChatMessages.FirstAsync(m => m.Id != message.Id);
            Assert.Equal(ChatText, loaded.Body);
            Assert.False(db.ChangeTracker.HasChanges());
        });
    }

    /// <summary>
    /// A chat (question and answer), a mail request with a follow-up and an answer, a booked appointment with a topic and a
    /// declined one with a reason: all through the app as people use it.
    /// </summary>
    private async Task<(Guid ConversationId, Guid ThreadId)> WriteEverythingAsync()
    {
        var (counsellorPeer, clientPeer, conversationId, anna) = await ChattingAsync();
        await SendAsync(clientPeer, conversationId, ChatText);
        await SendAsync(counsellorPeer, conversationId, ChatAnswer);

        var agency = await WithDbAsync(async db =>
        {
            var a = new Lotse.Domain.Agencies.Agency(Guid.NewGuid(), "Lotsenhaus");
            db.Agencies.Add(a);
            db.AgencyMemberships.Add(new Lotse.Domain.Agencies.AgencyMembership(a.Id, anna.UserId));
            foreach (var day in new[] { DayOfWeek.Wednesday, DayOfWeek.Thursday })
            {
                db.BookingHours.Add(new BookingHours(Guid.NewGuid(), anna.Id, day, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video));
            }

            await db.SaveChangesAsync();
            return a;
        });
        Assert.NotNull(agency);
        var client = await LoginAsync(Mond);
        var counsellor = await LoginAsync(Anna);

        var request = await MailFormAsync(client, $"/anfragen/neu?berater={anna.Id}", "Form.RequestKey");
        var sent = await PostFormAsync(client, $"/anfragen/neu?berater={anna.Id}", new Dictionary<string, string>
        {
            ["Form.Subject"] = MailSubject,
            ["Form.Body"] = MailBody,
            ["Form.RequestKey"] = request,
        }, formPage: $"/anfragen/neu?berater={anna.Id}");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var threadId = Guid.Parse(sent.Headers.Location!.OriginalString["/anfragen/".Length..]);
        await ReplyAsync(client, $"/anfragen/{threadId}", MailFollowUp);
        await ReplyAsync(counsellor, $"/posteingang/{threadId}", MailReply);

        var booked = await PostFormAsync(client, $"/berater/{anna.Id}/termin", new Dictionary<string, string>
        {
            ["Slot"] = $"{WednesdayNine:o}|Video",
            ["Topic"] = Topic,
        });
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var mond = await WithDbAsync(db => db.Clients.SingleAsync());
        var declined = await WithDbAsync(async db =>
        {
            var a = new Appointment(Guid.NewGuid(), anna.Id, mond.Id, AppointmentChannel.Video, WednesdayNine.AddDays(1), WednesdayNine.AddDays(1).AddMinutes(50), null);
            db.Appointments.Add(a);
            await db.SaveChangesAsync();
            return a;
        });
        var decline = await PostFormAsync(counsellor, $"/termine?handler=Decline&id={declined.Id}", new Dictionary<string, string> { ["Reason"] = Reason }, formPage: "/termine");
        Assert.Equal(HttpStatusCode.Redirect, decline.StatusCode);
        return (conversationId, threadId);
    }

    private static async Task<string> MailFormAsync(HttpClient http, string url, string keyField)
    {
        var html = await http.GetStringAsync(url);
        var match = Regex.Match(html, $"name=\"{Regex.Escape(keyField)}\" value=\"([0-9a-f-]{{36}})\"");
        Assert.True(match.Success, $"No {keyField} on {url}.");
        return match.Groups[1].Value;
    }

    private static async Task ReplyAsync(HttpClient http, string threadUrl, string body)
    {
        var key = await MailFormAsync(http, threadUrl, "Reply.RequestKey");
        var response = await PostFormAsync(http, threadUrl + "?handler=Reply", new Dictionary<string, string> { ["Reply.Body"] = body, ["Reply.RequestKey"] = key }, formPage: threadUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<Guid> AnAgencyAsync(Lotse.Web.Data.LotseDb db)
    {
        var agency = new Lotse.Domain.Agencies.Agency(Guid.NewGuid(), "Lotsenhaus");
        db.Agencies.Add(agency);
        await db.SaveChangesAsync();
        return agency.Id;
    }

    private LotseAppFactory StartInstance(string? databaseName, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new LotseAppFactory(App.Kind, databaseName: databaseName, settings: settings);
        app.Clock.SetUtcNow(App.Clock.GetUtcNow());
        _more.Add(app);
        _ = app.Server;
        return app;
    }

    internal sealed record Cell(string Table, string Column, string Value);

    /// <summary>Every non-null value of every column of every table, as text (bytes as UTF-8), read with plain SQL.</summary>
    internal static async Task<List<Cell>> RawCellsAsync(LotseAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using DbConnection connection = app.Kind == DatabaseKind.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(app.ConnectionString + ";Pooling=False")
            : new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = app.Kind == DatabaseKind.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("ChatMessages", tables);
        var cells = new List<Cell>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (await reader.IsDBNullAsync(i))
                    {
                        continue;
                    }

                    var value = reader.GetValue(i);
                    var text = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    cells.Add(new Cell(table, reader.GetName(i), text));
                }
            }
        }

        return cells;
    }

    private static async Task AssertFilesHoldNoPlaintextAsync(LotseAppFactory app)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
        {
            // Opened shared: the app still has the database open.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            foreach (var plaintext in Plaintexts)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(plaintext)) < 0, $"„{plaintext}“ is readable in {Path.GetFileName(path)}.");
            }
        }
    }
}

public sealed class EncryptionAtRestTestsOnSqlite() : EncryptionAtRestTests(DatabaseKind.Sqlite);

public sealed class EncryptionAtRestTestsOnPostgres() : EncryptionAtRestTests(DatabaseKind.Postgres);
