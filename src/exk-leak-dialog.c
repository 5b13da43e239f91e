// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-clipboard.h"
#include "exk-format.h"
#include "exk-leak-dialog.h"
#include "exk-toast.h"

/* Replaces a leaked key: one confirmation, then the steps of an
 * ExkLeakReplacement as the server confirms them, then what was done, with
 * the new key copied. When a step fails, it says which steps happened, above
 * all whether the leaked key still works, and offers to retry the rest.
 *
 * The dialog only shows the replacement, which runs on its own: closing the
 * dialog while a step runs lets the step finish, and the parent window says
 * how it ended in a toast, with a button that shows this dialog again. */
struct _ExkLeakDialog
{
  AdwWindow           parent_instance;

  ExkLeakReplacement *replacement;
  gboolean            closed;
  gboolean            copied;

  AdwToastOverlay    *toast_overlay;
  GtkWidget          *cancel_button;
  GtkWidget          *replace_button;
  GtkWidget          *close_button;
  GtkWidget          *retry_button;
  GtkSpinner         *spinner;
  GtkStack           *stack;

  GtkLabel           *confirm_title;
  GtkLabel           *confirm_body;
  AdwActionRow       *leaked_key_row;
  AdwActionRow       *leaked_scopes_row;
  AdwActionRow       *new_notes_row;

  GtkImage           *result_icon;
  GtkLabel           *result_title;
  GtkLabel           *result_body;
  GtkWidget          *new_key_group;
  AdwActionRow       *new_key_row;
  GtkWidget          *copy_button;
  AdwActionRow       *create_row;
  GtkStack           *create_icon;
  GtkSpinner         *create_spinner;
  AdwActionRow       *disable_row;
  GtkStack           *disable_icon;
  GtkSpinner         *disable_spinner;
  AdwActionRow       *link_row;
  GtkStack           *link_icon;
  GtkSpinner         *link_spinner;
};

G_DEFINE_FINAL_TYPE (ExkLeakDialog, exk_leak_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_REPLACEMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A run, told to the dialog if it is still open, or else to its parent. */
typedef struct
{
  GWeakRef            dialog;
  GWeakRef            parent;        /* a GtkWindow: the toast must not keep it alive */
  ExkLeakReplacement *replacement;
} Run;

static void
run_free (Run *run)
{
  g_weak_ref_clear (&run->dialog);
  g_weak_ref_clear (&run->parent);
  g_clear_object (&run->replacement);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Helpers */

/* GTK 4.8 names a button after its label twice, once with the mnemonic
 * underscore ("_Cancel Cancel"): only the label it is labelled by is kept. */
static void
drop_button_accessible_label (GtkWidget *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static char *
dup_leaked_prefix (ExkLeakReplacement *replacement)
{
  return exk_format_key_prefix (exk_token_get_id (exk_leak_replacement_get_leaked (replacement)));
}

static char *
dup_new_prefix (ExkLeakReplacement *replacement)
{
  ExkToken *new_key = exk_leak_replacement_get_new_key (replacement);

  return new_key != NULL ? exk_format_key_prefix (exk_token_get_id (new_key)) : NULL;
}

static char *
format_scopes (const char * const *scopes)
{
  /* A key without scopes works as a client key. */
  if (scopes == NULL || scopes[0] == NULL)
    return g_strdup ("client");

  return g_strjoinv (", ", (char **) scopes);
}

static char *
dup_reason (ExkLeakReplacement *replacement,
            ExkLeakStep         step)
{
  const GError *error = exk_leak_replacement_get_error (replacement, step);

  /* Translators: why a step failed when no reason is known; it follows a colon, as
   * in “Not created: unknown”. */
  return error != NULL ? exk_format_error_reason (error) : g_strdup (_("unknown"));
}

static void
show_step (GtkStack         *icon,
           GtkSpinner       *spinner,
           ExkLeakStepState  state)
{
  static const char *names[] = { "pending", "running", "done", "skipped", "failed" };

  gtk_stack_set_visible_child_name (icon, names[state]);
  gtk_spinner_set_spinning (spinner, state == EXK_LEAK_STEP_RUNNING);
}

/* Each step's row says what the server did about it, in a sentence. */
static void
exk_leak_dialog_update_steps (ExkLeakDialog *self)
{
  ExkLeakReplacement *replacement = self->replacement;
  ExkLeakStepState create = exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_CREATE);
  ExkLeakStepState disable = exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_DISABLE);
  ExkLeakStepState link = exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_LINK);
  g_autofree char *leaked = dup_leaked_prefix (replacement);
  g_autofree char *fresh = dup_new_prefix (replacement);
  g_autofree char *create_text = NULL;
  g_autofree char *disable_text = NULL;
  g_autofree char *link_text = NULL;
  g_autofree char *reason = NULL;

  switch (create)
    {
    case EXK_LEAK_STEP_RUNNING:
      create_text = g_strdup (_("Creating…"));
      break;
    case EXK_LEAK_STEP_DONE:
      /* Translators: %s is the beginning of the new key, e.g. “LhhP1C…”. */
      create_text = g_strdup_printf (_("Done: created %s"), fresh);
      break;
    case EXK_LEAK_STEP_FAILED:
      reason = dup_reason (replacement, EXK_LEAK_STEP_CREATE);
      /* Translators: %s says why, e.g. “the server had a problem”. */
      create_text = g_strdup_printf (_("Not created: %s"), reason);
      break;
    case EXK_LEAK_STEP_PENDING:
    case EXK_LEAK_STEP_SKIPPED:
    default:
      create_text = g_strdup (_("Not done"));
      break;
    }
  g_clear_pointer (&reason, g_free);

  switch (disable)
    {
    case EXK_LEAK_STEP_RUNNING:
      disable_text = g_strdup (_("Disabling…"));
      break;
    case EXK_LEAK_STEP_DONE:
      /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
      disable_text = g_strdup_printf (_("Done: %s no longer works"), leaked);
      break;
    case EXK_LEAK_STEP_SKIPPED:
      /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
      disable_text = g_strdup_printf (_("Not needed: %s was already disabled"), leaked);
      break;
    case EXK_LEAK_STEP_FAILED:
      reason = dup_reason (replacement, EXK_LEAK_STEP_DISABLE);
      /* Translators: the first %s says why, e.g. “the server had a problem”;
       * the second is the beginning of the leaked key. */
      disable_text = g_strdup_printf (_("Not disabled: %1$s. %2$s still works."), reason, leaked);
      break;
    case EXK_LEAK_STEP_PENDING:
    default:
      /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
      disable_text = g_strdup_printf (_("Not done: %s still works"), leaked);
      break;
    }
  g_clear_pointer (&reason, g_free);

  switch (link)
    {
    case EXK_LEAK_STEP_DONE:
      /* Translators: the beginnings of the new key and of the leaked key. */
      link_text = g_strdup_printf (_("Done: saved that %1$s replaces %2$s"), fresh, leaked);
      break;
    case EXK_LEAK_STEP_FAILED:
      reason = dup_reason (replacement, EXK_LEAK_STEP_LINK);
      /* Translators: %s says why. */
      link_text = g_strdup_printf (_("Not saved: %s"), reason);
      break;
    case EXK_LEAK_STEP_RUNNING:
    case EXK_LEAK_STEP_PENDING:
    case EXK_LEAK_STEP_SKIPPED:
    default:
      link_text = g_strdup (_("Not done"));
      break;
    }

  adw_action_row_set_subtitle (self->create_row, create_text);
  adw_action_row_set_subtitle (self->disable_row, disable_text);
  adw_action_row_set_subtitle (self->link_row, link_text);
  show_step (self->create_icon, self->create_spinner, create);
  show_step (self->disable_icon, self->disable_spinner, disable);
  show_step (self->link_icon, self->link_spinner, link);

  /* No place to keep the link (the caller has no rotations): nothing to say. */
  gtk_widget_set_visible (GTK_WIDGET (self->link_row), link != EXK_LEAK_STEP_SKIPPED);
}

/* The heading and the sentence above the steps: what the person needs to
 * know first, whether the leaked key still works. */
static void
exk_leak_dialog_update_result (ExkLeakDialog *self)
{
  ExkLeakReplacement *replacement = self->replacement;
  gboolean running = exk_leak_replacement_get_running (replacement);
  gboolean complete = exk_leak_replacement_get_complete (replacement);
  gboolean works = exk_leak_replacement_leaked_works (replacement);
  gboolean created = exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_CREATE)
                     == EXK_LEAK_STEP_DONE;
  gboolean was_disabled = exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_DISABLE)
                          == EXK_LEAK_STEP_SKIPPED;
  g_autofree char *leaked = dup_leaked_prefix (replacement);
  g_autofree char *fresh = dup_new_prefix (replacement);
  g_autofree char *body = NULL;
  const char *title;
  const char *icon = NULL;

  if (running)
    {
      title = _("Replacing the Leaked Key…");
      body = g_strdup (_("Each step is marked done once the server has confirmed it."));
    }
  else if (complete)
    {
      title = _("Leaked Key Replaced");
      icon = "emblem-ok-symbolic";
      if (was_disabled)
        /* Translators: the beginnings of the leaked key and of the new key. */
        body = g_strdup_printf (_("The leaked key %1$s was already disabled. Put the new key "
                                  "%2$s wherever the leaked key was used."), leaked, fresh);
      else
        /* Translators: the beginnings of the leaked key and of the new key. */
        body = g_strdup_printf (_("The leaked key %1$s is disabled and no longer works. Put "
                                  "the new key %2$s wherever the leaked key was used."),
                                leaked, fresh);
    }
  else if (!created && works)
    {
      title = _("The Leaked Key Still Works");
      icon = "dialog-warning-symbolic";
      /* Translators: %s is the beginning of the leaked key. */
      body = g_strdup_printf (_("Nothing was changed: no replacement was created, and the "
                                "leaked key %s was not disabled. Retry, or disable the key "
                                "now and replace it later."), leaked);
    }
  else if (!created)
    {
      title = _("No Replacement Was Created");
      icon = "dialog-warning-symbolic";
      /* Translators: %s is the beginning of the leaked key. */
      body = g_strdup_printf (_("The leaked key %s was already disabled, and no replacement "
                                "was created. Retry to create one."), leaked);
    }
  else if (works)
    {
      title = _("The Leaked Key Still Works");
      icon = "dialog-warning-symbolic";
      /* Translators: the beginnings of the new key and of the leaked key. */
      body = g_strdup_printf (_("The replacement %1$s was created, but the leaked key %2$s "
                                "was not disabled. Retry to disable it."), fresh, leaked);
    }
  else
    {
      title = _("Leaked Key Replaced");
      icon = "dialog-warning-symbolic";
      /* Translators: the beginnings of the leaked key and of the new key. */
      body = g_strdup_printf (_("The leaked key %1$s no longer works and %2$s replaces it, "
                                "but not every step was done. Retry the rest."), leaked, fresh);
    }

  gtk_label_set_text (self->result_title, title);
  gtk_label_set_text (self->result_body, body);
  gtk_widget_set_visible (GTK_WIDGET (self->result_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->result_icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), complete ? "warning" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), complete ? "success" : "warning");
}

static void
exk_leak_dialog_update_new_key (ExkLeakDialog *self)
{
  ExkToken *new_key = exk_leak_replacement_get_new_key (self->replacement);
  g_autofree char *masked = NULL;

  gtk_widget_set_visible (self->new_key_group, new_key != NULL);
  if (new_key == NULL)
    return;

  masked = exk_format_masked_key (exk_token_get_id (new_key));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->new_key_row), masked);
  adw_action_row_set_subtitle (self->new_key_row,
                               self->copied ? _("Copied to the clipboard") : "");
}

static void
exk_leak_dialog_update (ExkLeakDialog *self)
{
  ExkLeakReplacement *replacement = self->replacement;
  gboolean started = exk_leak_replacement_get_started (replacement);
  gboolean running = exk_leak_replacement_get_running (replacement);
  gboolean complete = exk_leak_replacement_get_complete (replacement);

  gtk_stack_set_visible_child_name (self->stack, started ? "steps" : "confirm");
  gtk_widget_set_visible (self->cancel_button, !started);
  gtk_widget_set_visible (self->replace_button, !started);
  gtk_widget_set_visible (self->close_button, started);
  gtk_widget_set_visible (self->retry_button, started && !running && !complete);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_spinner_set_spinning (self->spinner, running);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "leak.run", !running && !complete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "leak.copy",
                                 exk_leak_replacement_get_new_key (replacement) != NULL);

  if (started)
    {
      exk_leak_dialog_update_steps (self);
      exk_leak_dialog_update_result (self);
      exk_leak_dialog_update_new_key (self);
    }
}

static void
exk_leak_dialog_copy_new_key (ExkLeakDialog *self)
{
  ExkToken *new_key = exk_leak_replacement_get_new_key (self->replacement);

  g_return_if_fail (new_key != NULL);

  exk_clipboard_copy_secret (GTK_WIDGET (self), exk_token_get_id (new_key));
  self->copied = TRUE;
  exk_leak_dialog_update_new_key (self);
}

/* The first toast overlay in @widget: the window's, whatever its structure. */
static GtkWidget *
find_toast_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *overlay = find_toast_overlay (child);

      if (overlay != NULL)
        return overlay;
    }

  return NULL;
}

static void
on_show_clicked (AdwToast *toast,
                 Run      *run)
{
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&run->parent);
  GtkWidget *dialog;

  if (parent == NULL || !gtk_widget_get_visible (GTK_WIDGET (parent)))
    return;

  dialog = exk_leak_dialog_new (parent, run->replacement);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The dialog was closed while the replacement ran: the window says how it ended. */
static void
toast_outcome (Run *run)
{
  ExkLeakReplacement *replacement = run->replacement;
  g_autofree char *leaked = dup_leaked_prefix (replacement);
  g_autofree char *title = NULL;
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&run->parent);
  GtkWidget *overlay;
  AdwToast *toast;
  Run *copy;

  if (parent == NULL || !gtk_widget_get_visible (GTK_WIDGET (parent)))
    return;
  overlay = find_toast_overlay (GTK_WIDGET (parent));
  if (overlay == NULL)
    return;

  if (exk_leak_replacement_get_complete (replacement))
    /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
    title = g_strdup_printf (_("Leaked key %s replaced; it no longer works"), leaked);
  else if (exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_CREATE)
           != EXK_LEAK_STEP_DONE)
    /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
    title = g_strdup_printf (_("Couldn’t replace leaked key %s: nothing was changed"), leaked);
  else if (exk_leak_replacement_leaked_works (replacement))
    /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
    title = g_strdup_printf (_("Leaked key %s was replaced but still works: it couldn’t be "
                               "disabled"), leaked);
  else
    /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
    title = g_strdup_printf (_("Leaked key %s replaced, but not every step was done"), leaked);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  /* No mnemonic: libadwaita 1.2 would read it as “_Show Show”. */
  adw_toast_set_button_label (toast, _("Show"));
  copy = g_new0 (Run, 1);
  g_weak_ref_init (&copy->dialog, NULL);
  g_weak_ref_init (&copy->parent, parent);
  copy->replacement = g_object_ref (replacement);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_show_clicked), copy,
                         (GClosureNotify) (void (*) (void)) run_free, 0);
  exk_toast_show (overlay, toast);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  g_autoptr(ExkLeakDialog) self = g_weak_ref_get (&run->dialog);
  g_autoptr(GError) error = NULL;

  /* The steps' states say what failed and why. */
  exk_leak_replacement_run_finish (EXK_LEAK_REPLACEMENT (source), result, &error);

  if (self == NULL || self->closed)
    {
      toast_outcome (run);
      return;
    }

  exk_leak_dialog_update (self);

  /* The new key is needed at once, wherever the leaked one was: copied as
   * soon as it is known, once. */
  if (exk_leak_replacement_get_new_key (self->replacement) != NULL && !self->copied)
    exk_leak_dialog_copy_new_key (self);

  if (gtk_widget_get_visible (self->retry_button))
    gtk_window_set_default_widget (GTK_WINDOW (self), self->retry_button);
  else
    gtk_window_set_default_widget (GTK_WINDOW (self), self->close_button);

  if (exk_leak_replacement_get_complete (self->replacement))
    gtk_widget_grab_focus (self->copy_button);
  else if (gtk_widget_get_visible (self->retry_button))
    gtk_widget_grab_focus (self->retry_button);
}

/* Actions */

static void
exk_leak_dialog_run (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (widget);
  Run *run;

  if (exk_leak_replacement_get_running (self->replacement))
    return;

  run = g_new0 (Run, 1);
  g_weak_ref_init (&run->dialog, self);
  g_weak_ref_init (&run->parent, gtk_window_get_transient_for (GTK_WINDOW (self)));
  run->replacement = g_object_ref (self->replacement);
  exk_leak_replacement_run_async (self->replacement, NULL, on_run_done, run);

  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_widget_grab_focus (self->close_button);
}

static void
exk_leak_dialog_copy (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (widget);

  exk_leak_dialog_copy_new_key (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Key copied")));
}

/* GObject */

static gboolean
exk_leak_dialog_close_request (GtkWindow *window)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (window);

  /* A running step goes on; the parent window tells how it ended. */
  self->closed = TRUE;

  return GTK_WINDOW_CLASS (exk_leak_dialog_parent_class)->close_request (window);
}

static void
exk_leak_dialog_constructed (GObject *object)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (object);
  ExkToken *leaked;
  g_autofree char *prefix = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *scopes = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  G_OBJECT_CLASS (exk_leak_dialog_parent_class)->constructed (object);

  g_assert (EXK_IS_LEAK_REPLACEMENT (self->replacement));

  leaked = exk_leak_replacement_get_leaked (self->replacement);
  prefix = exk_format_key_prefix (exk_token_get_id (leaked));
  masked = exk_format_masked_key (exk_token_get_id (leaked));
  scopes = format_scopes (exk_token_get_scopes (leaked));

  /* Translators: %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
  title = g_strdup_printf (_("Replace Leaked Key %s?"), prefix);
  if (exk_leak_replacement_get_state (self->replacement, EXK_LEAK_STEP_DISABLE)
      == EXK_LEAK_STEP_SKIPPED)
    body = g_strdup (_("The leaked key is already disabled. A new key with the same scopes "
                       "and notes is created to replace it, and copied to the clipboard."));
  else
    body = g_strdup (_("A new key with the same scopes and notes is created, and the leaked "
                       "key is disabled immediately: anything still using it stops working "
                       "until it gets the new key, which is copied to the clipboard."));

  gtk_label_set_text (self->confirm_title, title);
  gtk_label_set_text (self->confirm_body, body);
  adw_action_row_set_subtitle (self->leaked_key_row, masked);
  adw_action_row_set_subtitle (self->leaked_scopes_row, scopes);
  adw_action_row_set_subtitle (self->new_notes_row,
                               exk_leak_replacement_get_new_notes (self->replacement));

  g_signal_connect_object (self->replacement, "notify", G_CALLBACK (exk_leak_dialog_update),
                           self, G_CONNECT_SWAPPED);
  exk_leak_dialog_update (self);

  if (exk_leak_replacement_get_started (self->replacement))
    gtk_window_set_default_widget (GTK_WINDOW (self),
                                   gtk_widget_get_visible (self->retry_button)
                                   ? self->retry_button : self->close_button);
}

static void
exk_leak_dialog_dispose (GObject *object)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (object);

  self->closed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_LEAK_DIALOG);

  G_OBJECT_CLASS (exk_leak_dialog_parent_class)->dispose (object);
}

static void
exk_leak_dialog_finalize (GObject *object)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (object);

  g_clear_object (&self->replacement);

  G_OBJECT_CLASS (exk_leak_dialog_parent_class)->finalize (object);
}

static void
exk_leak_dialog_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_REPLACEMENT:
      g_value_set_object (value, self->replacement);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_leak_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ExkLeakDialog *self = EXK_LEAK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_REPLACEMENT:
      self->replacement = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_leak_dialog_class_init (ExkLeakDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = exk_leak_dialog_constructed;
  object_class->dispose = exk_leak_dialog_dispose;
  object_class->finalize = exk_leak_dialog_finalize;
  object_class->get_property = exk_leak_dialog_get_property;
  object_class->set_property = exk_leak_dialog_set_property;

  window_class->close_request = exk_leak_dialog_close_request;

  /**
   * ExkLeakDialog:replacement:
   *
   * The replacement the dialog asks for, runs and shows.
   */
  properties[PROP_REPLACEMENT] =
    g_param_spec_object ("replacement", NULL, NULL, EXK_TYPE_LEAK_REPLACEMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-leak-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, replace_button);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, confirm_title);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, confirm_body);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, leaked_key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, leaked_scopes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, new_notes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, result_icon);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, result_title);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, result_body);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, new_key_group);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, new_key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, create_row);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, create_icon);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, create_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, disable_row);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, disable_icon);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, disable_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, link_row);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, link_icon);
  gtk_widget_class_bind_template_child (widget_class, ExkLeakDialog, link_spinner);

  gtk_widget_class_install_action (widget_class, "leak.run", NULL, exk_leak_dialog_run);
  gtk_widget_class_install_action (widget_class, "leak.copy", NULL, exk_leak_dialog_copy);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
exk_leak_dialog_init (ExkLeakDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  drop_button_accessible_label (self->cancel_button);
  drop_button_accessible_label (self->replace_button);
  drop_button_accessible_label (self->close_button);
  drop_button_accessible_label (self->retry_button);
  drop_button_accessible_label (self->copy_button);
}

/**
 * exk_leak_dialog_new:
 * @parent: the window the dialog belongs to; it tells how a run ended if the
 *   dialog was closed meanwhile
 * @replacement: the replacement of a leaked key
 *
 * A replacement that was not started yet is asked for first; one that was
 * is shown with its steps, and a retry if one failed.
 *
 * Returns: (transfer none): a new dialog
 */
GtkWidget *
exk_leak_dialog_new (GtkWindow          *parent,
                     ExkLeakReplacement *replacement)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (replacement), NULL);

  return g_object_new (EXK_TYPE_LEAK_DIALOG,
                       "transient-for", parent,
                       "replacement", replacement,
                       NULL);
}

ExkLeakReplacement *
exk_leak_dialog_get_replacement (ExkLeakDialog *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_DIALOG (self), NULL);

  return self->replacement;
}
