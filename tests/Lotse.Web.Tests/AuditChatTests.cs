using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Audit;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Chat;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lotse.Web.Tests;

/// <summary>The audit entries of live chat (start, reads through page and hub, close), and that no content reaches the log.</summary>
public abstract partial class AuditChatTests(DatabaseKind kind) : ChatTestBase(kind)
{
    [Fact]
    public async Task ChatStart_ByClient_RecordsStartedConversation()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, OpenOnline, agency);
        var mond = await AddClientAsync(Mond);
        var peer = await ConnectAsync(Mond);
        App.Clock.Advance(TimeSpan.FromMinutes(4));

        var id = await peer.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.ChatConversationStarted);
        Assert.Equal((mond.UserId, Roles.Client), (entry.ActorUserId, entry.ActorRole));
        Assert.Equal((AuditTargetType.Conversation, id.ToString(), agency.Id, Now), (entry.TargetType, entry.TargetId, entry.AgencyId, entry.OccurredUtc));
    }

    [Fact]
    public async Task CounsellorOpensChatPage_RecordsRead()
    {
        var (_, client, id, anna) = await ChattingAsync();
        await SendAsync(client, id, "Hallo");
        var http = await LoginAsync(Anna);
        App.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/chats/{id}")).StatusCode);

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.ChatConversationRead);
        Assert.Equal((anna.UserId, "anna", Roles.Counsellor), (entry.ActorUserId, entry.ActorDisplay, entry.ActorRole));
        Assert.Equal((AuditTargetType.Conversation, id.ToString(), Now), (entry.TargetType, entry.TargetId, entry.OccurredUtc));
    }

    [Fact]
    public async Task CounsellorFetchesHistoryAndMissedMessages_RecordsEachRead()
    {
        var (counsellor, client, id, anna) = await ChattingAsync();
        await SendAsync(client, id, "Eins");
        await SendAsync(client, id, "Zwei");

        var history = await counsellor.Hub.InvokeAsync<ChatMessagePage>("History", id, null, 50);
        var since = await counsellor.Hub.InvokeAsync<ChatMessagePage>("Since", id, history.Messages[0].Id);

        Assert.Single(since.Messages);
        var reads = await AuditTestSupport.EntriesAsync(App.Services, AuditAction.ChatHistoryRead);
        Assert.Equal(["Ältere Nachrichten geladen (2)", "Verpasste Nachrichten nachgeladen (1)"], reads.Select(e => e.Details));
        Assert.All(reads, e => Assert.Equal((anna.UserId, AuditTargetType.Conversation, id.ToString()), (e.ActorUserId, e.TargetType, e.TargetId)));
    }

    [Fact]
    public async Task ClientFetchesOwnHistory_NoReadRecorded()
    {
        var (_, client, id, _) = await ChattingAsync();
        await SendAsync(client, id, "Eins");

        await client.Hub.InvokeAsync<ChatMessagePage>("History", id, null, 50);

        Assert.Empty(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.ChatHistoryRead));
    }

    [Fact]
    public async Task CounsellorOpensChatList_RecordsListView()
    {
        var (_, client, id, anna) = await ChattingAsync();
        await SendAsync(client, id, "Hallo");
        var http = await LoginAsync(Anna);

        await http.GetStringAsync("/chats");

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.ChatListViewed);
        Assert.Equal((anna.UserId, AuditTargetType.Counsellor, anna.Id.ToString()), (entry.ActorUserId, entry.TargetType, entry.TargetId));
    }

    [Fact]
    public async Task CounsellorClosesChatThroughHub_RecordsCloseOnce()
    {
        var (counsellor, client, id, anna) = await ChattingAsync();

        await counsellor.Hub.InvokeAsync("Close", id);
        await client.WaitForAsync(ChatBroadcast.ClosedEvent);
        await counsellor.Hub.InvokeAsync("Close", id);

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.ChatConversationClosed);
        Assert.Equal((anna.UserId, AuditTargetType.Conversation, id.ToString()), (entry.ActorUserId, entry.TargetType, entry.TargetId));
    }

    [Fact]
    public async Task ContentWrittenAndRead_NeverInAuditTable()
    {
        const string chatText = "Chatgeheimnis-Elefant";
        const string subject = "Betreffgeheimnis-Giraffe";
        const string body = "Mailgeheimnis-Nashorn";
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, OpenOnline, agency);
        await AddClientAsync(Mond);
        var mond = await ConnectAsync(Mond);
        var conversationId = await mond.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        await mond.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        await SendAsync(mond, conversationId, chatText);
        var threadId = await SendMailRequestAsync(await LoginAsync(Mond), anna.Id, subject, body);

        // The counsellor reads both everywhere they are shown.
        var counsellor = await ConnectAsync(Anna);
        await counsellor.Hub.InvokeAsync<ChatMessagePage>("History", conversationId, null, 50);
        var http = await LoginAsync(Anna);
        Assert.Contains(chatText, await http.GetStringAsync($"/chats/{conversationId}"), StringComparison.Ordinal);
        Assert.Contains(chatText, await http.GetStringAsync("/chats"), StringComparison.Ordinal);
        var thread = await http.GetStringAsync($"/posteingang/{threadId}");
        Assert.Contains(body, thread, StringComparison.Ordinal);
        Assert.Contains(subject, await http.GetStringAsync("/posteingang"), StringComparison.Ordinal);

        var stored = await AuditTestSupport.EverythingStoredAsync(App.Services);
        Assert.Contains(threadId.ToString(), stored, StringComparison.Ordinal); // the reads are there…
        foreach (var secret in new[] { chatText, subject, body, "Elefant", "Giraffe", "Nashorn", Mond, Password })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase); // …their content is not
        }
    }

    private static async Task<Guid> SendMailRequestAsync(HttpClient http, Guid counsellorId, string subject, string body)
    {
        var url = $"/anfragen/neu?berater={counsellorId}";
        var html = await http.GetStringAsync(url);
        var fields = new Dictionary<string, string>
        {
            ["Form.Subject"] = subject,
            ["Form.Body"] = body,
            ["Form.RequestKey"] = RequestKeyPattern().Match(html).Groups[1].Value,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value),
        };
        using var content = new FormUrlEncodedContent(fields);
        var response = await http.PostAsync(url, content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.OriginalString["/anfragen/".Length..]);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"Form.RequestKey\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex RequestKeyPattern();
}

public sealed class AuditChatTestsOnSqlite() : AuditChatTests(DatabaseKind.Sqlite);

public sealed class AuditChatTestsOnPostgres() : AuditChatTests(DatabaseKind.Postgres);
