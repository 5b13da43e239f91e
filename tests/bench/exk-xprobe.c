// SPDX-License-Identifier: GPL-3.0-or-later

/* Measures a GUI program from outside, the way a window manager sees it:
 *
 *   exk-xprobe [--quiet MS] [--timeout MS] [--press KEYS] [--type TEXT] [--type-quiet MS]
 *              -- PROGRAM [ARG…]
 *
 * It starts PROGRAM, finds its top-level window when it is mapped (by _NET_WM_PID: PROGRAM's
 * or a descendant's, so that PROGRAM may be a wrapper such as perf record), and from
 * then on:
 *
 * - sends it _NET_WM_PING, one at a time, 4 ms after the previous answer: GDK answers from its
 *   main loop, so the time to the answer is how long the main loop was busy;
 * - watches its paints with the X DAMAGE extension.
 *
 * The start is over ("complete") at the last paint before --quiet milliseconds without one
 * (default 1500), or when the program exits. The first paint is the first one after the X
 * server's own, at the map, of the window's background. Then, with --type, it types TEXT one
 * character at a time through XTEST, each when the window has been quiet for --type-quiet
 * milliseconds (default 300), and times each keystroke to the last paint it caused. --press KEYS
 * (X key names joined by "+", such as Control_L+Shift_L+k) presses a shortcut first, timed as
 * the first keystroke, and its pings count with the typing's. At the end it stops the program
 * (SIGTERM) and prints one JSON object on stdout: milliseconds since the exec (map,
 * first paint, complete), the ping answers during the start and during the typing (count,
 * longest, 99th percentile, how many took over 16 ms), each keystroke's time to its last
 * paint, each answer over 16 ms (when it was asked, how long it took), the exec time on
 * CLOCK_MONOTONIC (to find the stalls in a profile made with perf record -k CLOCK_MONOTONIC),
 * the first 100 paints, the program's resident memory when the start was complete and its
 * peak (from wait4), in KiB.
 *
 * With EXK_XPROBE_SHOTS=PREFIX in the environment it saves the window as PREFIX-N.ppm at its
 * first twelve paints, to see what they showed (which slows it down).
 *
 * Numbers only: it never fails because the program is slow. It fails (exit 1) only when the
 * program never maps a window before --timeout (default 60000) or X is missing.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/XTest.h>

#define PING_INTERVAL_MS 4.0
#define STALL_MS         16.0

typedef struct
{
  double *values;
  size_t  len;
  size_t  size;
} Series;

static void
series_add (Series *series,
            double  value)
{
  if (series->len == series->size)
    {
      series->size = series->size ? series->size * 2 : 1024;
      series->values = realloc (series->values, series->size * sizeof (double));
      if (series->values == NULL)
        abort ();
    }
  series->values[series->len++] = value;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Prints "name": {"count", "max", "p99", "over_16"} for a series of ping answers. */
static void
print_pings (const char *name,
             Series     *series)
{
  double max = 0, p99 = 0;
  size_t over = 0;

  if (series->len > 0)
    {
      qsort (series->values, series->len, sizeof (double), compare_doubles);
      max = series->values[series->len - 1];
      p99 = series->values[(size_t) ((series->len - 1) * 0.99)];
      for (size_t i = 0; i < series->len; i++)
        over += series->values[i] > STALL_MS;
    }
  printf ("\"%s\": {\"count\": %zu, \"max\": %.1f, \"p99\": %.1f, \"over_16\": %zu}",
          name, series->len, max, p99, over);
}

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

typedef enum
{
  PHASE_STARTING,   /* until the window is mapped */
  PHASE_LOADING,    /* until it has been quiet for --quiet ms */
  PHASE_TYPING,     /* one keystroke at a time */
  PHASE_DONE,
} Phase;

typedef struct
{
  Display   *display;
  Window     root;
  Window     window;
  Damage     damage;
  int        damage_event;
  Atom       wm_protocols;
  Atom       net_wm_ping;
  Atom       net_wm_pid;
  pid_t      child;
  bool       exited;
  struct rusage usage;

  Phase      phase;
  double     exec_time;
  double     map_time;
  double     first_paint;
  double     last_paint;
  double     complete;

  bool       ping_pending;
  long       ping_serial;
  double     ping_sent;
  double     next_ping;
  Series     start_pings;
  Series     typing_pings;

  const char *text;
  const char *press;
  bool       pressed;
  size_t     typed;
  double     key_time;
  Series     keystrokes;
  Series     paints;
  Series     stalls;       /* start and length of each answer over 16 ms, in pairs */
  pid_t      window_pid;   /* the program's, or a descendant's (under a wrapper) */
  long       rss_complete; /* KiB, when the start was complete */
} Probe;

static pid_t
window_pid (Probe  *probe,
            Window  window)
{
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  pid_t pid = 0;

  if (XGetWindowProperty (probe->display, window, probe->net_wm_pid, 0, 1, False, XA_CARDINAL,
                          &type, &format, &n, &after, &data) == Success
      && data != NULL && n == 1 && format == 32)
    pid = (pid_t) *(unsigned long *) data;
  if (data != NULL)
    XFree (data);
  return pid;
}

/* Whether @pid is the program or one of its descendants (the program may be a wrapper, such
 * as perf record, that starts the real one). */
static bool
is_program (Probe *probe,
            pid_t  pid)
{
  for (int depth = 0; pid > 1 && depth < 8; depth++)
    {
      char path[64], line[512];
      FILE *file;
      char *end;
      int ppid = 0;

      if (pid == probe->child)
        return true;
      snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
      if ((file = fopen (path, "r")) == NULL)
        return false;
      if (fgets (line, sizeof line, file) != NULL && (end = strrchr (line, ')')) != NULL)
        sscanf (end + 1, " %*c %d", &ppid);
      fclose (file);
      pid = ppid;
    }
  return false;
}

static void
send_ping (Probe *probe)
{
  XEvent event = { 0 };

  event.xclient.type = ClientMessage;
  event.xclient.window = probe->window;
  event.xclient.message_type = probe->wm_protocols;
  event.xclient.format = 32;
  event.xclient.data.l[0] = (long) probe->net_wm_ping;
  event.xclient.data.l[1] = ++probe->ping_serial;
  event.xclient.data.l[2] = (long) probe->window;
  XSendEvent (probe->display, probe->window, False, NoEventMask, &event);
  XFlush (probe->display);
  probe->ping_pending = true;
  probe->ping_sent = now_ms ();
}

static void
on_mapped (Probe  *probe,
           Window  window)
{
  XWindowAttributes attributes;

  if (probe->window != None || !is_program (probe, window_pid (probe, window)))
    return;
  if (!XGetWindowAttributes (probe->display, window, &attributes)
      || attributes.override_redirect)
    return;

  probe->window = window;
  probe->window_pid = window_pid (probe, window);
  probe->map_time = now_ms ();
  probe->phase = PHASE_LOADING;
  probe->damage = XDamageCreate (probe->display, window, XDamageReportNonEmpty);
  /* Keystrokes go to the focused window: there is no window manager to focus it. */
  XSetInputFocus (probe->display, window, RevertToParent, CurrentTime);
  XSync (probe->display, False);
  probe->next_ping = now_ms ();
}

static void
save_ppm (Probe      *probe,
          const char *path)
{
  XWindowAttributes attributes;
  XImage *image;
  FILE *file;

  XGetWindowAttributes (probe->display, probe->window, &attributes);
  image = XGetImage (probe->display, probe->window, 0, 0, attributes.width, attributes.height,
                     AllPlanes, ZPixmap);
  if (image == NULL || (file = fopen (path, "wb")) == NULL)
    return;
  fprintf (file, "P6\n%d %d\n255\n", image->width, image->height);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      {
        unsigned long pixel = XGetPixel (image, x, y);
        unsigned char rgb[3] = { pixel >> 16, pixel >> 8, pixel };
        fwrite (rgb, 1, 3, file);
      }
  fclose (file);
  XDestroyImage (image);
}

/* The X server paints the background of a window when it is mapped, before the program has
 * drawn anything (a black window): that is not the program's first paint. */
#define MAP_BACKGROUND_MS 2.0

static void
on_paint (Probe *probe,
          double time)
{
  if (probe->first_paint == 0 && time - probe->map_time < MAP_BACKGROUND_MS)
    return;

  if (probe->paints.len < 12 && getenv ("EXK_XPROBE_SHOTS") != NULL)
    {
      char path[256];
      snprintf (path, sizeof path, "%s-%zu.ppm", getenv ("EXK_XPROBE_SHOTS"), probe->paints.len);
      save_ppm (probe, path);
    }
  if (probe->first_paint == 0)
    probe->first_paint = time;
  if (probe->phase == PHASE_LOADING)
    series_add (&probe->paints, time - probe->exec_time);
  probe->last_paint = time;
}

/* Presses the keys of "Control_L+Shift_L+k" in order, and releases them in reverse. */
static void
press_shortcut (Probe *probe)
{
  KeyCode keycodes[8];
  size_t n = 0;
  char *copy = strdup (probe->press);
  char *saveptr = NULL;

  for (char *name = strtok_r (copy, "+", &saveptr); name != NULL && n < 8;
       name = strtok_r (NULL, "+", &saveptr))
    keycodes[n++] = XKeysymToKeycode (probe->display, XStringToKeysym (name));
  free (copy);

  probe->key_time = now_ms ();
  probe->last_paint = 0;
  for (size_t i = 0; i < n; i++)
    XTestFakeKeyEvent (probe->display, keycodes[i], True, CurrentTime);
  for (size_t i = n; i > 0; i--)
    XTestFakeKeyEvent (probe->display, keycodes[i - 1], False, CurrentTime);
  XFlush (probe->display);
  probe->pressed = true;
}

static bool
typing_done (Probe *probe)
{
  return (probe->press == NULL || probe->pressed)
         && (probe->text == NULL || probe->text[probe->typed] == '\0');
}

static void
type_next (Probe *probe)
{
  KeySym keysym;
  KeyCode keycode;
  char name[2] = { 0 };

  if (probe->press != NULL && !probe->pressed)
    {
      press_shortcut (probe);
      return;
    }

  name[0] = probe->text[probe->typed];

  keysym = name[0] == ' ' ? XK_space : XStringToKeysym (name);
  keycode = XKeysymToKeycode (probe->display, keysym);
  probe->key_time = now_ms ();
  probe->last_paint = 0;
  XTestFakeKeyEvent (probe->display, keycode, True, CurrentTime);
  XTestFakeKeyEvent (probe->display, keycode, False, CurrentTime);
  XFlush (probe->display);
  probe->typed++;
}

static void
handle_event (Probe  *probe,
              XEvent *event)
{
  double time = now_ms ();

  if (event->type == MapNotify)
    {
      on_mapped (probe, event->xmap.window);
    }
  else if (event->type == ClientMessage
           && event->xclient.message_type == probe->wm_protocols
           && (Atom) event->xclient.data.l[0] == probe->net_wm_ping
           && event->xclient.data.l[1] == probe->ping_serial
           && probe->ping_pending)
    {
      double answer = time - probe->ping_sent;

      probe->ping_pending = false;
      if (answer > STALL_MS && probe->stalls.len < 2 * 200)
        {
          series_add (&probe->stalls, probe->ping_sent - probe->exec_time);
          series_add (&probe->stalls, answer);
        }
      probe->next_ping = probe->ping_sent + PING_INTERVAL_MS;
      if (probe->phase == PHASE_LOADING)
        series_add (&probe->start_pings, answer);
      else if (probe->phase == PHASE_TYPING)
        series_add (&probe->typing_pings, answer);
    }
  else if (probe->damage != None && event->type == probe->damage_event + XDamageNotify)
    {
      XDamageSubtract (probe->display, probe->damage, None, None);
      on_paint (probe, time);
    }
}

static void
reap (Probe *probe,
      bool   wait)
{
  int status;

  if (probe->exited)
    return;
  if (wait4 (probe->child, &status, wait ? 0 : WNOHANG, &probe->usage) == probe->child)
    probe->exited = true;
}

/* The resident memory of the window's process now, in KiB. */
static long
current_rss (Probe *probe)
{
  char path[64], line[256];
  FILE *file;
  long rss = -1;

  snprintf (path, sizeof path, "/proc/%d/status", (int) probe->window_pid);
  if ((file = fopen (path, "r")) == NULL)
    return -1;
  while (fgets (line, sizeof line, file) != NULL)
    if (sscanf (line, "VmRSS: %ld", &rss) == 1)
      break;
  fclose (file);
  return rss;
}

/* The window may go away between two pings (the floor program quits on its own): a request
 * about it then fails with BadWindow, which is no reason to stop measuring. */
static int damage_error_base;

static int
on_x_error (Display     *display,
            XErrorEvent *error)
{
  if (error->error_code != BadWindow && error->error_code != BadDrawable
      && error->error_code != damage_error_base + BadDamage)
    {
      char text[256];

      XGetErrorText (display, error->error_code, text, sizeof text);
      fprintf (stderr, "exk-xprobe: X error: %s (request %d)\n", text, error->request_code);
    }
  return 0;
}

static void
usage (void)
{
  fputs ("usage: exk-xprobe [--quiet MS] [--timeout MS] [--press KEYS] [--type TEXT] "
         "[--type-quiet MS] -- PROGRAM [ARG…]\n", stderr);
  exit (2);
}

int
main (int   argc,
      char *argv[])
{
  Probe probe = { 0 };
  double quiet = 1500, timeout = 60000, type_quiet = 300;
  int event_base, error_base, major, minor, i;

  for (i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    {
      if (i + 1 >= argc)
        usage ();
      if (strcmp (argv[i], "--quiet") == 0)
        quiet = atof (argv[++i]);
      else if (strcmp (argv[i], "--timeout") == 0)
        timeout = atof (argv[++i]);
      else if (strcmp (argv[i], "--type") == 0)
        probe.text = argv[++i];
      else if (strcmp (argv[i], "--press") == 0)
        probe.press = argv[++i];
      else if (strcmp (argv[i], "--type-quiet") == 0)
        type_quiet = atof (argv[++i]);
      else
        usage ();
    }
  if (i + 1 >= argc)
    usage ();

  probe.display = XOpenDisplay (NULL);
  if (probe.display == NULL)
    {
      fputs ("exk-xprobe: cannot open the X display\n", stderr);
      return 1;
    }
  if (!XDamageQueryExtension (probe.display, &probe.damage_event, &damage_error_base)
      || !XTestQueryExtension (probe.display, &event_base, &error_base, &major, &minor))
    {
      fputs ("exk-xprobe: the X server has no DAMAGE or XTEST extension\n", stderr);
      return 1;
    }
  XSetErrorHandler (on_x_error);
  probe.root = DefaultRootWindow (probe.display);
  probe.wm_protocols = XInternAtom (probe.display, "WM_PROTOCOLS", False);
  probe.net_wm_ping = XInternAtom (probe.display, "_NET_WM_PING", False);
  probe.net_wm_pid = XInternAtom (probe.display, "_NET_WM_PID", False);
  /* Maps of top-level windows, and GDK's ping answers, which it sends to the root window. */
  XSelectInput (probe.display, probe.root, SubstructureNotifyMask);
  XSync (probe.display, False);

  probe.exec_time = now_ms ();
  probe.child = fork ();
  if (probe.child < 0)
    {
      perror ("exk-xprobe: fork");
      return 1;
    }
  if (probe.child == 0)
    {
      close (ConnectionNumber (probe.display));
      execvp (argv[i + 1], argv + i + 1);
      perror ("exk-xprobe: exec");
      _exit (127);
    }

  while (probe.phase != PHASE_DONE)
    {
      struct pollfd fd = { ConnectionNumber (probe.display), POLLIN, 0 };
      double time = now_ms (), wait = 50;

      reap (&probe, false);
      if (probe.exited)
        break;

      if (probe.phase == PHASE_STARTING && time - probe.exec_time > timeout)
        break;

      if (probe.phase == PHASE_LOADING)
        {
          double since = probe.last_paint != 0 ? probe.last_paint : probe.map_time;

          if (probe.first_paint != 0 && time - since >= quiet)
            {
              probe.complete = probe.last_paint;
              probe.rss_complete = current_rss (&probe);
              probe.phase = typing_done (&probe) ? PHASE_DONE : PHASE_TYPING;
              probe.last_paint = 0;
              if (probe.phase == PHASE_TYPING)
                type_next (&probe);
            }
          else if (time - probe.exec_time > timeout)
            {
              probe.complete = probe.last_paint;
              probe.phase = PHASE_DONE;
            }
        }
      else if (probe.phase == PHASE_TYPING)
        {
          double since = probe.last_paint != 0 ? probe.last_paint : probe.key_time;

          if (time - since >= type_quiet)
            {
              series_add (&probe.keystrokes,
                          probe.last_paint != 0 ? probe.last_paint - probe.key_time : -1);
              if (typing_done (&probe))
                probe.phase = PHASE_DONE;
              else
                type_next (&probe);
            }
        }

      if (probe.window != None && !probe.ping_pending)
        {
          if (time >= probe.next_ping)
            send_ping (&probe);
          else
            wait = probe.next_ping - time;
        }
      if (probe.ping_pending || probe.phase != PHASE_STARTING)
        wait = wait < 5 ? wait : 5;

      while (XPending (probe.display) > 0)
        {
          XEvent event;

          XNextEvent (probe.display, &event);
          handle_event (&probe, &event);
        }
      if (poll (&fd, 1, (int) (wait + 0.999)) > 0)
        {
          while (XPending (probe.display) > 0)
            {
              XEvent event;

              XNextEvent (probe.display, &event);
              handle_event (&probe, &event);
            }
        }
    }

  if (probe.phase == PHASE_LOADING && probe.exited)
    probe.complete = probe.last_paint;

  if (!probe.exited)
    {
      kill (probe.child, SIGTERM);
      reap (&probe, true);
    }

  if (probe.window == None)
    {
      fputs ("exk-xprobe: the program mapped no window\n", stderr);
      return 1;
    }

  printf ("{\"map\": %.1f, \"first_paint\": %.1f, \"complete\": %.1f, ",
          probe.map_time - probe.exec_time,
          probe.first_paint != 0 ? probe.first_paint - probe.exec_time : -1,
          probe.complete != 0 ? probe.complete - probe.exec_time : -1);
  print_pings ("start_pings", &probe.start_pings);
  printf (", ");
  print_pings ("typing_pings", &probe.typing_pings);
  printf (", \"keystrokes\": [");
  for (size_t k = 0; k < probe.keystrokes.len; k++)
    printf ("%s%.1f", k > 0 ? ", " : "", probe.keystrokes.values[k]);
  printf ("], \"paints\": [");
  for (size_t k = 0; k < probe.paints.len && k < 100; k++)
    printf ("%s%.1f", k > 0 ? ", " : "", probe.paints.values[k]);
  printf ("], \"stalls\": [");
  for (size_t k = 0; k + 1 < probe.stalls.len; k += 2)
    printf ("%s[%.1f, %.1f]", k > 0 ? ", " : "", probe.stalls.values[k],
            probe.stalls.values[k + 1]);
  printf ("], \"exec_monotonic_ms\": %.3f", probe.exec_time);
  printf (", \"rss_complete_kib\": %ld", probe.rss_complete);
  printf (", \"peak_rss_kib\": %ld}\n", probe.usage.ru_maxrss);

  free (probe.start_pings.values);
  free (probe.typing_pings.values);
  free (probe.keystrokes.values);
  free (probe.paints.values);
  free (probe.stalls.values);
  XCloseDisplay (probe.display);
  return 0;
}
