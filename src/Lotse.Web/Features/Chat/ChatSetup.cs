using Lotse.Web.Infrastructure;

namespace Lotse.Web.Features.Chat;

public static class ChatSetup
{
    /// <summary>
    /// 32 KiB per incoming hub message: the longest valid text (4,000 characters, even if every one were sent as a
    /// six-byte JSON escape) plus the ids fits; anything bigger is not a chat message, and SignalR closes the connection.
    /// </summary>
    public const long MaxReceiveMessageSize = 32 * 1024;

    public static void AddChat(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ChatOptions>(builder.Configuration.GetSection(ChatOptions.Section));
        AddPresence(builder);
        builder.Services.AddScoped<ChatMembership>();
        builder.Services.AddScoped<ChatTexts>();
        builder.Services.AddScoped<ChatBroadcast>();
        builder.Services.AddScoped<StartConversation>();
        builder.Services.AddScoped<SendMessage>();
        builder.Services.AddSingleton<ChatMessageBatcher>();
        builder.Services.AddScoped<StoreChatMessages>();
        builder.Services.AddScoped<ReadChatMessages>();
        builder.Services.AddScoped<MarkRead>();
        builder.Services.AddScoped<CloseConversation>();
        builder.Services.AddScoped<LoadChatList>();
        builder.Services.AddScoped<ChatPageLoader>();
        builder.Services.AddSignalR().AddHubOptions<ChatHub>(o => o.MaximumReceiveMessageSize = MaxReceiveMessageSize);
    }

    /// <summary>One instance: presence in memory. Several (Redis configured): presence shared through Redis.</summary>
    private static void AddPresence(WebApplicationBuilder builder)
    {
        if (RedisSetup.IsConfigured(builder.Configuration))
        {
            builder.Services.AddSingleton<RedisChatPresence>();
            builder.Services.AddSingleton<IChatPresence>(s => s.GetRequiredService<RedisChatPresence>());
            builder.Services.AddHostedService(s => s.GetRequiredService<RedisChatPresence>());
        }
        else
        {
            builder.Services.AddSingleton<IChatPresence, ChatPresence>();
        }
    }

    public static void MapChat(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHub<ChatHub>(ChatHub.Path);
    }
}

/// <summary>Configuration section "Chat": the per-connection limits.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>Messages one connection may send per <see cref="Window"/>.</summary>
    public int MessagesPerWindow { get; set; } = 10;

    /// <summary>Typing signals relayed per <see cref="Window"/> (pages send one every few seconds while typing).</summary>
    public int TypingSignalsPerWindow { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
