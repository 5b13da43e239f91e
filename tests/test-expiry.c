// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gstdio.h>

#include "exk-expiry-dialog.h"
#include "exk-expiry-seed.h"
#include "exk-mock-server.h"
#include "exk-new-key-dialog.h"
#include "exk-project-page-private.h"
#include "exk-project-sidebar.h"
#include "exk-rotations.h"
#include "exk-test-util.h"
#include "exk-window.h"

/* Expiry reminders in the window: the banner over it with its count, the
 * list it opens, Open going to the key in its project, the project's own
 * banner, and Replace from a notification. Screenshots light and dark, wide
 * and narrow; the notifications' texts are logged (no notification server
 * runs here). */

typedef struct
{
  char               *seed_path;
  ExkMockServer      *mock;
  ExkAccountManager  *manager;
  ExkExpiryReminders *reminders;
  GSettings          *settings;
  ExkWindow          *window;
  ExkProjectPage     *page;
  guint               due;
} Fixture;

static GtkWidget *
window_child (Fixture    *fixture,
              const char *name)
{
  return exk_test_template_child (fixture->window, EXK_TYPE_WINDOW, name);
}

static GtkWidget *
page_child (Fixture    *fixture,
            const char *name)
{
  return exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE, name);
}

/* What the application does with a due reminder, but logged. */
static void
on_reminder_due (ExkExpiryReminders *reminders,
                 ExkExpiryReminder  *reminder,
                 Fixture            *fixture)
{
  g_autoptr(GDateTime) now = exk_expiry_reminders_dup_now (reminders);
  g_autofree char *title = exk_expiry_reminder_dup_title (reminder);
  g_autofree char *body = exk_expiry_reminder_dup_body (reminder, now);

  g_test_message ("GNotification “expiry-%.12s…”: title “%s”, body “%s”",
                  exk_expiry_reminder_get_fingerprint (reminder), title, body);
  fixture->due++;
}

static gboolean
banner_shown (gpointer data)
{
  Fixture *fixture = data;

  return gtk_revealer_get_child_revealed (GTK_REVEALER (window_child (fixture,
                                                                      "reminder_revealer")));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  ExkAccount *account;
  g_autofree char *key = NULL;

  fixture->seed_path = exk_expiry_seed_write (now);
  options.seed_file = fixture->seed_path;
  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  fixture->settings = g_settings_new (BASE_ID);
  g_settings_reset (fixture->settings, "expiry-reminders-sent");
  fixture->reminders = exk_expiry_reminders_new (fixture->settings);
  g_signal_connect (fixture->reminders, "reminder-due", G_CALLBACK (on_reminder_due), fixture);

  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  exk_window_set_expiry_reminders (fixture->window, fixture->reminders);
  /* The narrow test starts narrow: no window manager here resizes it later. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window),
                               data != NULL ? GPOINTER_TO_INT (data) : 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));

  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);

  /* As the application does on notify::client. */
  account = exk_account_manager_get_active_account (fixture->manager);
  key = exk_account_dup_key (account);
  exk_expiry_reminders_set_client (fixture->reminders,
                                   exk_account_manager_get_client (fixture->manager), key);
  exk_test_assert_wait (banner_shown, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *dialog;

  while ((dialog = exk_test_find_toplevel (GTK_TYPE_WINDOW)) != NULL
         && dialog != GTK_WINDOW (fixture->window))
    gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_expiry_reminders_set_client (fixture->reminders, NULL, NULL);
  g_assert_finalize_object (g_steal_pointer (&fixture->reminders));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);
  g_settings_reset (fixture->settings, "expiry-reminders-sent");
  g_settings_reset (fixture->settings, "last-projects");
  g_clear_object (&fixture->settings);
  g_unlink (fixture->seed_path);
  g_clear_pointer (&fixture->seed_path, g_free);
}

static void
save_screenshots (GtkWidget  *widget,
                  const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);

  exk_test_save_screenshot (widget, name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  exk_test_save_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return exk_test_find_toplevel (EXK_TYPE_EXPIRY_DIALOG) == NULL;
}

static gboolean
key_highlighted (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (exk_project_page_get_highlighted (fixture->page), KEY_10_DAYS) == 0;
}

static gboolean
inline_banner_shown (gpointer data)
{
  Fixture *fixture = data;

  return gtk_revealer_get_child_revealed (GTK_REVEALER (page_child (fixture,
                                                                    "expiring_revealer")));
}

static ExkExpiryDialog *
open_list (Fixture *fixture)
{
  ExkExpiryDialog *dialog;

  exk_test_click (find_button (window_child (fixture, "reminder_revealer"), "_Review"));
  dialog = exk_test_find_toplevel (EXK_TYPE_EXPIRY_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog))
                 == GTK_WINDOW (fixture->window));
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));

  return dialog;
}

/* The banner counts the keys of both organizations, the list shows them
 * soonest first, and Open goes to the key, focused, in its project, whose
 * own banner counts its keys. */
static void
test_banner_and_list (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkLabel *label = GTK_LABEL (window_child (fixture, "reminder_label"));
  ExkExpiryDialog *dialog;
  GtkListBox *list;
  GtkListBoxRow *row;
  GtkWidget *open;

  g_assert_cmpstr (gtk_label_get_text (label), ==, "4 API keys have expired or expire soon");
  g_assert_cmpuint (fixture->due, ==, 4);
  save_screenshots (GTK_WIDGET (fixture->window), "expiry-banner");

  dialog = open_list (fixture);
  list = exk_expiry_dialog_get_list_box (dialog);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 3));
  g_assert_null (gtk_list_box_get_row_at_index (list, 4));
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Expire… in Rocket Ship");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Expired on "));
  row = gtk_list_box_get_row_at_index (list, 3);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Ten0da… in Disintegrating Pistol");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Works until "));
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (dialog));
  save_screenshots (GTK_WIDGET (dialog), "expiry-list");

  open = find_button (GTK_WIDGET (row), "_Open");
  g_assert_nonnull (open);
  exk_test_click (open);
  exk_test_assert_wait (dialog_gone, NULL);

  g_assert_cmpstr (exk_project_get_id (exk_project_page_get_project (fixture->page)), ==,
                   PISTOL_ID);
  exk_test_assert_wait (key_highlighted, fixture);

  /* Pistol's own banner: the 10-day and the 12-hour keys; the disabled
   * one and the one that expired a month ago are not counted. */
  exk_test_assert_wait (inline_banner_shown, fixture);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child (fixture, "expiring_label"))), ==,
                   "2 keys of this project expire within two weeks. Replace them before they "
                   "stop working.");
  save_screenshots (GTK_WIDGET (fixture->window), "expiry-project-banner");
}

static gboolean
leaflet_settled (gpointer data)
{
  Fixture *fixture = data;
  AdwLeaflet *leaflet = ADW_LEAFLET (window_child (fixture, "leaflet"));

  return adw_leaflet_get_folded (leaflet) && !adw_leaflet_get_child_transition_running (leaflet);
}

/* 360 pixels wide: the banner wraps, the list fits. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  ExkExpiryDialog *dialog;

  exk_test_assert_wait (leaflet_settled, fixture);
  exk_test_wait_for_paint (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  save_screenshots (GTK_WIDGET (fixture->window), "expiry-banner-narrow");

  dialog = open_list (fixture);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 600);
  exk_test_wait_for_paint (GTK_WIDGET (dialog));
  save_screenshots (GTK_WIDGET (dialog), "expiry-list-narrow");
  gtk_window_close (GTK_WINDOW (dialog));
  exk_test_assert_wait (dialog_gone, NULL);

  exk_window_open_project (fixture->window, NULL,
                           exk_expiry_reminders_find_project (fixture->reminders, ROCKET_ID),
                           NULL);
  exk_test_assert_wait (inline_banner_shown, fixture);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child (fixture, "expiring_label"))), ==,
                   "1 key of this project expired in the last week. Apps that still use it can "
                   "no longer send events.");
  save_screenshots (GTK_WIDGET (fixture->window), "expiry-project-banner-narrow");
}

static gboolean
replace_dialog_shown (gpointer data)
{
  return exk_test_find_toplevel (EXK_TYPE_NEW_KEY_DIALOG) != NULL;
}

/* A notification's “Replace Key…”: the project, then the key's rotation. */
static void
test_replace (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *print = exk_rotations_fingerprint (KEY_12_HOURS);
  ExkExpiryReminder *reminder = exk_expiry_reminders_find (fixture->reminders, print);

  g_assert_nonnull (reminder);
  exk_window_replace_key (fixture->window, NULL, exk_expiry_reminder_get_project (reminder),
                          exk_token_get_id (exk_expiry_reminder_get_token (reminder)));
  exk_test_assert_wait (replace_dialog_shown, NULL);
  g_assert_cmpstr (exk_project_get_id (exk_project_page_get_project (fixture->page)), ==,
                   PISTOL_ID);
}

static gboolean
banner_says_three (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (window_child (fixture, "reminder_label"))),
                    "3 API keys have expired or expire soon") == 0;
}

/* A key disabled on its project's page leaves both banners at once, with
 * no request for the other organizations' keys. */
static void
test_disabled_on_page (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *url = exk_mock_server_get_url (fixture->mock);

  exk_window_open_project (fixture->window, NULL,
                           exk_expiry_reminders_find_project (fixture->reminders, PISTOL_ID),
                           NULL);
  exk_test_assert_wait (inline_banner_shown, fixture);
  exk_test_clear_requests (url);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.set-disabled",
                                             "(sb)", KEY_12_HOURS, TRUE));
  exk_test_assert_wait (banner_says_three, fixture);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child (fixture, "expiring_label"))), ==,
                   "1 key of this project expires within two weeks. Replace it before it stops "
                   "working.");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->reminders)), ==, 3);
  g_assert_cmpuint (exk_test_count_requests (url, "GET", "/api/v2/organizations"), ==, 0);
}

/* Signed out: no banner about another account's keys. */
static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static void
test_signed_out (Fixture       *fixture,
                 gconstpointer  data)
{
  exk_expiry_reminders_set_client (fixture->reminders, NULL, NULL);
  exk_test_assert_wait (banner_hidden, fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  exk_test_init_ui (&argc, &argv);

  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/exkeys/expiry/banner-and-list", Fixture, NULL, fixture_set_up,
              test_banner_and_list, fixture_tear_down);
  g_test_add ("/exkeys/expiry/narrow", Fixture, GINT_TO_POINTER (360), fixture_set_up, test_narrow,
              fixture_tear_down);
  g_test_add ("/exkeys/expiry/replace", Fixture, NULL, fixture_set_up, test_replace,
              fixture_tear_down);
  g_test_add ("/exkeys/expiry/disabled-on-page", Fixture, NULL, fixture_set_up,
              test_disabled_on_page, fixture_tear_down);
  g_test_add ("/exkeys/expiry/signed-out", Fixture, NULL, fixture_set_up, test_signed_out,
              fixture_tear_down);

  return g_test_run ();
}
