// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-reauth-dialog.h"
#include "exk-sign-in-page.h"

/* Asks for the password of the active account again, on top of the window, so
 * that the selected project and any open dialog keep what the user typed. */
struct _ExkReauthDialog
{
  AdwWindow      parent_instance;

  ExkSignInPage *sign_in_page;
};

G_DEFINE_FINAL_TYPE (ExkReauthDialog, exk_reauth_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_signed_in (ExkReauthDialog *self,
              ExkUser         *user)
{
  g_signal_emit (self, signals[SIGNED_IN], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
exk_reauth_dialog_map (GtkWidget *widget)
{
  ExkReauthDialog *self = EXK_REAUTH_DIALOG (widget);

  GTK_WIDGET_CLASS (exk_reauth_dialog_parent_class)->map (widget);

  /* The server and email are given: what is left to type is the password. */
  exk_sign_in_page_focus (self->sign_in_page);
}

static void
exk_reauth_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_REAUTH_DIALOG);

  G_OBJECT_CLASS (exk_reauth_dialog_parent_class)->dispose (object);
}

static void
exk_reauth_dialog_class_init (ExkReauthDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_reauth_dialog_dispose;
  widget_class->map = exk_reauth_dialog_map;

  /**
   * ExkReauthDialog::signed-in:
   *
   * The user signed in again; requests can be made again.
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-reauth-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkReauthDialog, sign_in_page);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_close);
}

static void
exk_reauth_dialog_init (ExkReauthDialog *self)
{
  g_type_ensure (EXK_TYPE_SIGN_IN_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));
}

ExkReauthDialog *
exk_reauth_dialog_new (GtkWindow         *parent,
                       ExkAccountManager *manager,
                       ExkAccount        *account)
{
  ExkReauthDialog *self;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (EXK_IS_ACCOUNT (account), NULL);

  self = g_object_new (EXK_TYPE_REAUTH_DIALOG, "transient-for", parent, NULL);

  /* Translators: %s is a server's host name, with its port when it has one. */
  reason = g_strdup_printf (_("%s no longer accepts the token of this account: tokens end "
                              "after three months, or when someone signs out everywhere. Sign "
                              "in again to go on where you were."),
                            exk_account_get_server_authority (account));

  exk_sign_in_page_set_manager (self->sign_in_page, manager);
  exk_sign_in_page_prefill (self->sign_in_page, exk_account_get_server (account),
                            exk_account_get_email (account), reason);
  exk_sign_in_page_set_locked (self->sign_in_page, TRUE);
  exk_sign_in_page_set_can_cancel (self->sign_in_page, TRUE);

  return self;
}
