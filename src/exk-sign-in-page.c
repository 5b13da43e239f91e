// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-sign-in-page.h"

#define SERVER_HOSTED 0
#define SERVER_SELF_HOSTED 1

struct _ExkSignInPage
{
  AdwBin             parent_instance;

  ExkAccountManager *manager;
  GCancellable      *cancellable;
  gboolean           use_token;
  gboolean           busy;
  AdwHeaderBar      *header_bar;
  gboolean           locked;

  GtkButton         *cancel_button;
  GtkLabel          *title_label;
  GtkLabel          *intro_label;
  GtkWidget         *server_group;
  AdwComboRow       *server_row;
  AdwEntryRow       *url_row;
  GtkWidget         *url_hint;
  GtkWidget         *password_group;
  AdwEntryRow       *email_row;
  AdwEntryRow       *password_row;
  GtkWidget         *token_group;
  AdwEntryRow       *token_row;
  GtkRevealer       *error_revealer;
  GtkLabel          *error_label;
  GtkButton         *plain_http_button;
  GtkButton         *sign_in_button;
  GtkStack          *sign_in_stack;
  GtkSpinner        *spinner;
  GtkButton         *mode_button;
  GtkButton         *stop_button;
};

G_DEFINE_FINAL_TYPE (ExkSignInPage, exk_sign_in_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

enum {
  SIGNED_IN,
  CANCELLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
exk_sign_in_page_get_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

static char *
exk_sign_in_page_dup_server (ExkSignInPage *self)
{
  if (adw_combo_row_get_selected (self->server_row) == SERVER_SELF_HOSTED)
    return g_strstrip (g_strdup (exk_sign_in_page_get_text (self->url_row)));

  return g_strdup (EXK_HOSTED_BASE_URL);
}

static void
exk_sign_in_page_update (ExkSignInPage *self)
{
  gboolean self_hosted = adw_combo_row_get_selected (self->server_row) == SERVER_SELF_HOSTED;
  gboolean ready;

  gtk_widget_set_visible (GTK_WIDGET (self->url_row), self_hosted);
  gtk_widget_set_visible (self->url_hint, self_hosted && !self->locked);
  gtk_widget_set_visible (self->password_group, !self->use_token);
  gtk_widget_set_visible (self->token_group, self->use_token);
  gtk_button_set_label (self->mode_button,
                        self->use_token ? _("Use Email and Password")
                                        : _("Use an Existing User Token"));

  if (self->use_token)
    ready = !is_blank (exk_sign_in_page_get_text (self->token_row));
  else
    ready = !is_blank (exk_sign_in_page_get_text (self->email_row))
            && exk_sign_in_page_get_text (self->password_row)[0] != '\0';
  if (self_hosted && is_blank (exk_sign_in_page_get_text (self->url_row)))
    ready = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), ready && !self->busy);
  /* Signing in again to one account: its server is said in the introduction,
   * not shown as a choice that cannot be made. */
  gtk_widget_set_visible (self->server_group, !self->locked);
  gtk_widget_set_sensitive (self->server_group, !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->email_row), !self->locked);
  gtk_widget_set_sensitive (self->password_group, !self->busy);
  gtk_widget_set_sensitive (self->token_group, !self->busy);
  /* While waiting, the way out is to stop waiting, not to switch modes. */
  gtk_widget_set_visible (GTK_WIDGET (self->mode_button), !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), self->busy);
}

static void
exk_sign_in_page_set_busy (ExkSignInPage *self,
                           gboolean       busy)
{
  self->busy = busy;
  gtk_stack_set_visible_child_name (self->sign_in_stack, busy ? "busy" : "label");
  gtk_spinner_set_spinning (self->spinner, busy);
  exk_sign_in_page_update (self);
}

/* Shows @message in the banner (or hides it when %NULL) and marks @field, the one
 * row to correct, if any. */
static void
exk_sign_in_page_show_error (ExkSignInPage *self,
                             const char    *message,
                             GtkWidget     *field,
                             gboolean       offer_plain_http)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->url_row), GTK_WIDGET (self->email_row),
    GTK_WIDGET (self->password_row), GTK_WIDGET (self->token_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      if (rows[i] == field)
        gtk_widget_add_css_class (rows[i], "error");
      else
        gtk_widget_remove_css_class (rows[i], "error");
    }

  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->plain_http_button), offer_plain_http);
  /* Hidden, not just folded: the folded revealer would still take the box's spacing. */
  gtk_widget_set_visible (GTK_WIDGET (self->error_revealer), message != NULL);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
exk_sign_in_page_clear_error (ExkSignInPage *self)
{
  exk_sign_in_page_show_error (self, NULL, NULL, FALSE);
}

/* A user token is 40 letters and digits: worth a hint when it lands in the password field. */
static gboolean
looks_like_token (const char *text)
{
  gsize len = 0;

  for (; text[len] != '\0'; len++)
    if (!g_ascii_isalnum (text[len]))
      return FALSE;

  return len == 40;
}

static char *
exk_sign_in_page_describe_error (ExkSignInPage *self,
                                 const GError  *error)
{
  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_LOGIN_FAILED))
    {
      if (looks_like_token (exk_sign_in_page_get_text (self->password_row)))
        return g_strdup (_("The email or password is not right, and the password looks like a "
                           "user token: to sign in with it, choose “Use an Existing User "
                           "Token”."));

      return g_strdup (_("The email or password is not right; if you sign in to Exceptionless "
                         "with GitHub, Google, Microsoft or Facebook, set a password on the "
                         "Exceptionless website first, or use an existing user token."));
    }

  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_LOGIN_THROTTLED))
    return g_strdup (_("There were too many sign-in attempts for this account: wait 15 "
                       "minutes, then try again."));

  return g_strdup (error->message);
}

/* The row to correct after @error, or %NULL when no typing can fix it. */
static GtkWidget *
exk_sign_in_page_field_at_fault (ExkSignInPage *self,
                                 const GError  *error)
{
  static const ExkApiError address_errors[] = {
    EXK_API_ERROR_INVALID_URL, EXK_API_ERROR_INSECURE_URL, EXK_API_ERROR_NETWORK,
    EXK_API_ERROR_TLS, EXK_API_ERROR_TIMEOUT, EXK_API_ERROR_NOT_FOUND,
    EXK_API_ERROR_INVALID_RESPONSE, EXK_API_ERROR_REDIRECTED,
  };

  if (error->domain != EXK_API_ERROR)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (address_errors); i++)
    {
      if (error->code == (int) address_errors[i])
        return adw_combo_row_get_selected (self->server_row) == SERVER_SELF_HOSTED
               ? GTK_WIDGET (self->url_row) : NULL;
    }

  if (self->use_token)
    return error->code == EXK_API_ERROR_UNAUTHORIZED || error->code == EXK_API_ERROR_FORBIDDEN
           || error->code == EXK_API_ERROR_VALIDATION
           ? GTK_WIDGET (self->token_row) : NULL;

  return error->code == EXK_API_ERROR_LOGIN_FAILED || error->code == EXK_API_ERROR_VALIDATION
         ? GTK_WIDGET (self->password_row) : NULL;
}

static void
on_sign_in_finished (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ExkSignInPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkUser) user = NULL;

  user = exk_account_manager_sign_in_finish (EXK_ACCOUNT_MANAGER (source), result, &error);

  /* The page may be gone: it cancels on dispose, so touch nothing then. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_SIGN_IN_PAGE (user_data);

  g_clear_object (&self->cancellable);
  exk_sign_in_page_set_busy (self, FALSE);

  if (user == NULL)
    {
      g_autofree char *message = exk_sign_in_page_describe_error (self, error);
      GtkWidget *field = exk_sign_in_page_field_at_fault (self, error);
      GtkWidget *focus = field;

      exk_sign_in_page_show_error (self, message, field,
                                   g_error_matches (error, EXK_API_ERROR,
                                                    EXK_API_ERROR_INSECURE_URL));

      /* Where typing goes on: the row to correct, else the secret to type again. */
      if (focus == NULL || !gtk_widget_is_sensitive (focus))
        focus = GTK_WIDGET (self->use_token ? self->token_row : self->password_row);
      gtk_widget_grab_focus (focus);
      return;
    }

  /* Secrets do not linger in the widgets once they are in the keyring. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  exk_sign_in_page_clear_error (self);

  g_signal_emit (self, signals[SIGNED_IN], 0, user);
}

static void
exk_sign_in_page_start (ExkSignInPage  *self,
                        ExkSignInFlags  flags)
{
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
    return;

  g_return_if_fail (self->manager != NULL);

  server = exk_sign_in_page_dup_server (self);
  email = g_strstrip (g_strdup (exk_sign_in_page_get_text (self->email_row)));

  /* A new attempt: what went wrong with the last one no longer applies. */
  exk_sign_in_page_clear_error (self);
  exk_sign_in_page_set_busy (self, TRUE);

  self->cancellable = g_cancellable_new ();
  if (self->use_token)
    exk_account_manager_sign_in_async (self->manager, server, NULL, NULL,
                                       exk_sign_in_page_get_text (self->token_row),
                                       flags, self->cancellable, on_sign_in_finished, self);
  else
    exk_account_manager_sign_in_async (self->manager, server, email,
                                       exk_sign_in_page_get_text (self->password_row),
                                       NULL, flags, self->cancellable, on_sign_in_finished,
                                       self);
}

static void
on_sign_in_clicked (ExkSignInPage *self)
{
  exk_sign_in_page_start (self, EXK_SIGN_IN_DEFAULT);
}

/* The user's explicit choice, remembered for the server by the account manager. */
static void
on_plain_http_clicked (ExkSignInPage *self)
{
  exk_sign_in_page_start (self, EXK_SIGN_IN_ALLOW_PLAIN_HTTP);
}

static void
on_entry_changed (ExkSignInPage *self,
                  GtkWidget     *row)
{
  /* Being corrected: no longer marked as wrong. */
  gtk_widget_remove_css_class (row, "error");
  exk_sign_in_page_update (self);
}

static void
on_entry_activated (ExkSignInPage *self,
                    AdwEntryRow   *row)
{
  /* Enter moves on to the next empty field, and signs in from the last one. */
  if (row == self->email_row && exk_sign_in_page_get_text (self->password_row)[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    on_sign_in_clicked (self);
}

static void
on_server_selected (ExkSignInPage *self)
{
  exk_sign_in_page_clear_error (self);
  exk_sign_in_page_update (self);

  if (adw_combo_row_get_selected (self->server_row) == SERVER_SELF_HOSTED)
    gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

static void
on_mode_clicked (ExkSignInPage *self)
{
  self->use_token = !self->use_token;
  exk_sign_in_page_clear_error (self);
  exk_sign_in_page_update (self);
  exk_sign_in_page_focus (self);
}

static void
on_stop_clicked (ExkSignInPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  exk_sign_in_page_set_busy (self, FALSE);
}

static void
on_cancel_clicked (ExkSignInPage *self)
{
  on_stop_clicked (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
exk_sign_in_page_dispose (GObject *object)
{
  ExkSignInPage *self = EXK_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (exk_sign_in_page_parent_class)->dispose (object);
}

static void
exk_sign_in_page_finalize (GObject *object)
{
  ExkSignInPage *self = EXK_SIGN_IN_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (exk_sign_in_page_parent_class)->finalize (object);
}

static void
exk_sign_in_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ExkSignInPage *self = EXK_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_sign_in_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ExkSignInPage *self = EXK_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      exk_sign_in_page_set_manager (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_sign_in_page_class_init (ExkSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_sign_in_page_dispose;
  object_class->finalize = exk_sign_in_page_finalize;
  object_class->get_property = exk_sign_in_page_get_property;
  object_class->set_property = exk_sign_in_page_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, EXK_TYPE_ACCOUNT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkSignInPage::signed-in:
   * @user: the user, to greet by name
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, EXK_TYPE_USER);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/exk-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, url_hint);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, password_group);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, token_group);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, plain_http_button);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, sign_in_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, mode_button);
  gtk_widget_class_bind_template_child (widget_class, ExkSignInPage, stop_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_server_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_plain_http_clicked);
}

static void
exk_sign_in_page_init (ExkSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  exk_sign_in_page_update (self);
}

GtkWidget *
exk_sign_in_page_new (ExkAccountManager *manager)
{
  return g_object_new (EXK_TYPE_SIGN_IN_PAGE, "manager", manager, NULL);
}

void
exk_sign_in_page_set_manager (ExkSignInPage     *self,
                              ExkAccountManager *manager)
{
  g_return_if_fail (EXK_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (manager == NULL || EXK_IS_ACCOUNT_MANAGER (manager));

  if (g_set_object (&self->manager, manager))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}

/**
 * exk_sign_in_page_prefill:
 * @server: (nullable): the server address, or %NULL to keep the choice
 * @email: (nullable): the email, or %NULL to keep it
 * @reason: (nullable): why the user is asked to sign in, or %NULL for the usual introduction
 */
void
exk_sign_in_page_prefill (ExkSignInPage *self,
                          const char    *server,
                          const char    *email,
                          const char    *reason)
{
  g_return_if_fail (EXK_IS_SIGN_IN_PAGE (self));

  if (server != NULL)
    {
      gboolean hosted = g_strcmp0 (server, EXK_HOSTED_BASE_URL) == 0;

      adw_combo_row_set_selected (self->server_row, hosted ? SERVER_HOSTED : SERVER_SELF_HOSTED);
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), hosted ? "" : server);
    }

  if (email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);

  gtk_label_set_text (self->intro_label,
                      reason != NULL ? reason
                                     : _("Manage the projects and API keys of your account. "
                                         "Exkeys keeps a token in the system keyring, never "
                                         "your password."));
  gtk_label_set_text (self->title_label,
                      reason != NULL ? _("Sign In Again") : _("Sign In to Exceptionless"));
  exk_sign_in_page_update (self);
}

void
exk_sign_in_page_set_can_cancel (ExkSignInPage *self,
                                 gboolean       can_cancel)
{
  g_return_if_fail (EXK_IS_SIGN_IN_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), can_cancel);
}

/* Locked: the server and the email are fixed (signing in again to one account). */
void
exk_sign_in_page_set_locked (ExkSignInPage *self,
                             gboolean       locked)
{
  g_return_if_fail (EXK_IS_SIGN_IN_PAGE (self));

  self->locked = locked;
  /* In a dialog of its own, Cancel is the way out: no second one as a window button. */
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !locked);
  exk_sign_in_page_update (self);
}

/* Back to a blank form, for adding another account. */
void
exk_sign_in_page_reset (ExkSignInPage *self)
{
  g_return_if_fail (EXK_IS_SIGN_IN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->use_token = FALSE;
  self->locked = FALSE;
  adw_combo_row_set_selected (self->server_row, SERVER_HOSTED);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  exk_sign_in_page_clear_error (self);
  exk_sign_in_page_prefill (self, NULL, NULL, NULL);
  exk_sign_in_page_set_busy (self, FALSE);
}

/* Focuses the first field that still needs typing. */
void
exk_sign_in_page_focus (ExkSignInPage *self)
{
  GtkWidget *target;

  g_return_if_fail (EXK_IS_SIGN_IN_PAGE (self));

  if (adw_combo_row_get_selected (self->server_row) == SERVER_SELF_HOSTED
      && is_blank (exk_sign_in_page_get_text (self->url_row)))
    target = GTK_WIDGET (self->url_row);
  else if (self->use_token)
    target = GTK_WIDGET (self->token_row);
  else if (is_blank (exk_sign_in_page_get_text (self->email_row)))
    target = GTK_WIDGET (self->email_row);
  else
    target = GTK_WIDGET (self->password_row);

  gtk_widget_grab_focus (target);
}
