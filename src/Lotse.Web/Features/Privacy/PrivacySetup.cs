namespace Lotse.Web.Features.Privacy;

/// <summary>
/// The client's own data (export, account deletion), the record of their last activity, and retention (the agency's
/// periods and the job that applies them). Program.cs calls <see cref="AddPrivacy"/> and, after authentication is in the
/// pipeline, <see cref="UsePrivacy"/>.
/// </summary>
public static class PrivacySetup
{
    public static void AddPrivacy(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RetentionOptions>()
            .Bind(builder.Configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.IsValid, "Retention: InactiveClientDays must be 30-3650, ClosedConversationDays 14-3650, IntervalMinutes 1-1440.")
            .ValidateOnStart();
        services.AddSingleton<ClientActivity>();
        services.AddScoped<ClientContentReader>();
        services.AddScoped<ExportClientData>();
        services.AddScoped<DeleteClientData>();
        services.AddScoped<ApplyRetention>();
        services.AddSingleton<RetentionService>();
        if (builder.Configuration.GetValue($"{RetentionOptions.Section}:{nameof(RetentionOptions.BackgroundService)}", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        }
    }

    /// <summary>Records the signed-in client's activity; must come after UseAuthentication.</summary>
    public static void UsePrivacy(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ClientActivityMiddleware>();
    }
}
