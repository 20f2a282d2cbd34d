namespace Lotse.Web.Features.Mail;

public static class MailSetup
{
    public static void AddMail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<MailAccess>();
        builder.Services.AddScoped<MailTexts>();
        builder.Services.AddScoped<LoadMail>();
        builder.Services.AddScoped<SendMailRequest>();
        builder.Services.AddSingleton<MailRoutingBatcher>();
        builder.Services.AddScoped<RouteMailRequests>();
        builder.Services.AddScoped<WriteMailMessage>();
        builder.Services.AddScoped<ChangeMailThread>();
    }
}
