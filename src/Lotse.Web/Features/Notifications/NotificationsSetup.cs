using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lotse.Web.Features.Notifications;

public static class NotificationsSetup
{
    /// <summary>
    /// The outbox, the mail sender, texts and invitations, and the two background services (dispatcher and reminder
    /// scheduler). With Mail:BackgroundServices=false the services are registered but not started, so that tests call
    /// <see cref="NotificationDispatcher.DispatchDueAsync"/> and <see cref="ReminderScheduler.ScheduleDueAsync"/> themselves.
    /// </summary>
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.Configure<MailOptions>(builder.Configuration.GetSection(MailOptions.Section));
        if (builder.Configuration["Mail:PickupDirectory"] is { Length: > 0 } pickup)
        {
            // Development: the folder the README names exists from the first start, before the first mail.
            Directory.CreateDirectory(Path.GetFullPath(pickup, builder.Environment.ContentRootPath));
        }

        services.AddSingleton(new NotificationLinks(builder.Configuration["App:PublicUrl"]));
        services.AddSingleton<IMailSender, MailKitMailSender>();
        // Try: the booking feature may register the outbox it writes to as well.
        services.TryAddScoped<NotificationOutbox>();
        services.AddScoped<NotificationTexts>();
        services.AddScoped<CalendarInvite>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<ReminderScheduler>();
        if (builder.Configuration.GetValue("Mail:BackgroundServices", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
            services.AddHostedService(sp => sp.GetRequiredService<ReminderScheduler>());
        }
    }
}

/// <summary>Absolute links into the app for mails and invitations (config App:PublicUrl, the address users reach).</summary>
public sealed class NotificationLinks(string? publicUrl)
{
    public const string DefaultPublicUrl = "http://127.0.0.1:5080";

    private readonly string _base = (string.IsNullOrWhiteSpace(publicUrl) ? DefaultPublicUrl : publicUrl).TrimEnd('/');

    public string Notifications => _base + "/benachrichtigungen";

    public string Room(Guid appointmentId) => $"{_base}/termine/{appointmentId:D}/raum";
}
