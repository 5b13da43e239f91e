// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <libsoup/soup.h>

#include "exk-test-util.h"
#include "exk-window.h"

static gboolean
ignore_known_warnings (const char     *log_domain,
                       GLogLevelFlags  log_level,
                       const char     *message,
                       gpointer        user_data)
{
  /* GTK 4.8 warns when a text field loses focus along with its window, which
   * happens whenever a test destroys a window under Xvfb without a window
   * manager. Every other warning stays fatal. */
  if (g_strcmp0 (log_domain, "Gtk") == 0 && strstr (message, "did not receive a focus-out") != NULL)
    return FALSE;

  return TRUE;
}

/* g_test_init() and GTK for UI tests. keyring-env.sh gives each run its own
 * HOME and XDG dirs; G_TEST_OPTION_ISOLATE_DIRS would also hide the shared
 * MIME database, without which GdkPixbuf cannot tell an SVG icon. */
void
exk_test_init_ui (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  g_test_log_set_fatal_handler (ignore_known_warnings, NULL);
  gtk_init ();
  adw_init ();

  /* What GtkApplication does at startup: the app's icons from its resources. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");

  /* A blinking cursor outlives a window destroyed while focused (no window
   * manager takes the focus away first), and GTK warns about it. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
}

/* @ms, longer when EXK_TEST_TIMEOUT_MULTIPLIER says the code runs slower
 * (build-aux/test --sanitize sets it): a deadline, not a wait. */
guint
exk_test_scale_timeout (guint ms)
{
  const char *text = g_getenv ("EXK_TEST_TIMEOUT_MULTIPLIER");
  guint64 factor = 1;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 100, &factor, NULL))
    factor = 1;

  return ms * (guint) factor;
}

/* Iterates the main context until @condition holds, failing after @timeout_ms
 * (scaled, see exk_test_scale_timeout()). */
gboolean
exk_test_wait_until (ExkTestCondition condition,
                     gpointer         data,
                     guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time ()
                    + (gint64) exk_test_scale_timeout (timeout_ms) * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }

  return TRUE;
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

void
exk_test_wait_until_mapped (GtkWidget *widget)
{
  g_assert_true (exk_test_wait_until (is_mapped, widget, 10000));
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits until @widget is on screen and its window painted a frame since the
 * call, so that a screenshot shows what the last changes look like. */
void
exk_test_wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  exk_test_wait_until_mapped (widget);
  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  g_assert_true (exk_test_wait_until (is_true, &painted, 10000));
  g_signal_handler_disconnect (clock, handler);
}

static gboolean
window_shows (gpointer    window,
              const char *page)
{
  GtkWidget *stack = exk_test_template_child (window, EXK_TYPE_WINDOW, "main_stack");

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), page) == 0;
}

/* Whether an ExkWindow shows its projects and keys. */
gboolean
exk_test_window_shows_main (gpointer window)
{
  return window_shows (window, "main");
}

/* Whether an ExkWindow shows its sign-in page. */
gboolean
exk_test_window_shows_sign_in (gpointer window)
{
  return window_shows (window, "sign-in");
}

GtkWidget *
exk_test_template_child (gpointer    widget,
                         GType       template_type,
                         const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), template_type, name);

  if (child == NULL)
    g_error ("%s has no template child “%s”", G_OBJECT_TYPE_NAME (widget), name);

  return GTK_WIDGET (child);
}

/* A manager on the test's own settings (the memory backend) and keyring,
 * with a short keyring timeout so that a missing keyring fails fast. */
ExkAccountManager *
exk_test_new_manager (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(ExkSecretStore) secrets = exk_secret_store_new ();

  exk_secret_store_set_timeout (secrets, 2000);

  return exk_account_manager_new (settings, secrets);
}

/* Renders @widget (usually a window) to tests/screenshots/NAME.png in the
 * build folder, for people to review what the tests saw. */
void
exk_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *filename = NULL;
  int width, height;

  /* A widget paintable takes its image in the frame after the one that
   * invalidated it: two frames drawn since it was made (one was seen to give
   * an empty image). */
  paintable = gtk_widget_paintable_new (widget);
  exk_test_wait_for_paint (widget);
  exk_test_wait_for_paint (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    {
      g_test_message ("no screenshot of %s: not drawn", name);
      return;
    }

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_test_message ("no screenshot of %s: nothing drawn", name);
      return;
    }

  renderer = gsk_cairo_renderer_new ();
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);

  dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR")
                                                                : ".",
                          "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  filename = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, filename));
  g_test_message ("screenshot: %s", filename);
}

/* A blocking GET, for the mock server's control endpoints (it runs in its own
 * thread, so blocking here is fine). Returns the parsed body, or NULL. */
JsonNode *
exk_test_http_get_json (const char *base_url,
                        const char *path,
                        guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = g_strconcat (base_url, path, NULL);

  message = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);

  if (status != NULL)
    *status = soup_message_get_status (message);

  if (g_bytes_get_size (body) == 0
      || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), NULL))
    return NULL;

  return json_node_copy (json_parser_get_root (parser));
}

/* Whether the mock server at @base_url holds the key @id as disabled. */
gboolean
exk_test_server_says_disabled (const char *base_url,
                               const char *id)
{
  g_autofree char *path = g_strconcat ("/_mock/tokens/", id, NULL);
  g_autoptr(JsonNode) node = exk_test_http_get_json (base_url, path, NULL);

  g_assert_nonnull (node);
  return json_object_get_boolean_member (json_node_get_object (node), "is_disabled");
}

/* Empties the mock server's request log. */
void
exk_test_clear_requests (const char *base_url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base_url, "/_mock/requests", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("DELETE", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, message, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (message), ==, 204);
}

/* How many requests the mock server at @base_url logged with @method (any
 * when %NULL) and a path starting with @path_prefix. */
guint
exk_test_count_requests (const char *base_url,
                         const char *method,
                         const char *path_prefix)
{
  g_autoptr(JsonNode) node = exk_test_http_get_json (base_url, "/_mock/requests", NULL);
  JsonArray *requests;
  guint count = 0;

  g_assert_nonnull (node);
  requests = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if ((method == NULL
           || g_str_equal (json_object_get_string_member (request, "method"), method))
          && g_str_has_prefix (json_object_get_string_member (request, "path"), path_prefix))
        count++;
    }

  return count;
}

/* The first open window of @type (a dialog the code under test opened). */
gpointer
exk_test_find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

/* Clicks @button now, as a pointer would (gtk_widget_activate() delays the
 * click by a quarter second); fails if a person could not click it. */
void
exk_test_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_is_visible (button));

  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Drops the caller's reference to @object and fails unless it is finalized
 * once the requests still running for it have wound down (they hold
 * references until their callbacks run, a few iterations later). */
void
exk_test_finalize_soon (gpointer object)
{
  gpointer weak = object;

  g_assert_true (G_IS_OBJECT (object));
  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);

  if (!exk_test_wait_until (is_null, &weak, 10000))
    g_error ("%s was not finalized", G_OBJECT_TYPE_NAME (weak));
}

static gboolean
is_icon_only_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL;

  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL
           && gtk_button_get_label (GTK_BUTTON (widget)) == NULL;

  return FALSE;
}

/* Screen readers name an icon-only button after its image ("GtkImage") unless
 * it has an accessible label: every such button shown under @root must have one. */
void
exk_test_assert_icon_buttons_labelled (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* Hidden ones are not announced; toasts are libadwaita's own business. */
      if (!gtk_widget_get_mapped (child)
          || g_str_equal (G_OBJECT_TYPE_NAME (child), "AdwToastWidget"))
        continue;

      if (is_icon_only_button (child)
          && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (child),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("An icon-only %s (icon %s, in %s) has no accessible label",
                 G_OBJECT_TYPE_NAME (child),
                 GTK_IS_MENU_BUTTON (child)
                   ? gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (child))
                   : gtk_button_get_icon_name (GTK_BUTTON (child)),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_parent (child)));

      /* An entry row's own buttons (apply, show text) are libadwaita's. */
      if (!ADW_IS_ENTRY_ROW (child))
        exk_test_assert_icon_buttons_labelled (child);
    }
}
