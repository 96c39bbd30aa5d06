/* cria-welcome-page.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-api-error.h"
#include "cria-key-check.h"
#include "cria-welcome-page-private.h"

struct _CriaWelcomePage
{
  AdwBin        parent_instance;

  CriaClient   *client;
  GCancellable *cancellable;
  /* Checks and saves the key, and holds it while it is not saved. */
  CriaKeyCheck *check;
  gboolean      busy;

  GtkWidget    *key_row;
  GtkWidget    *error_label;
  GtkWidget    *continue_button;
  GtkWidget    *session_button;
  GtkWidget    *spinner;
};

G_DEFINE_FINAL_TYPE (CriaWelcomePage, cria_welcome_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum {
  KEY_READY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
key_is_blank (CriaWelcomePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

static void
update_actions (CriaWelcomePage *self)
{
  gboolean refused = self->client != NULL && cria_client_get_refusal (self->client) != NULL;
  gboolean can_continue = !self->busy && !refused && !key_is_blank (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.continue", can_continue);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.use-for-session",
                                 !self->busy && self->check != NULL &&
                                 cria_key_check_has_unsaved_key (self->check));
  /* The action helper does the same; set it here too so the state does not
   * depend on the widget being rooted. */
  gtk_widget_set_sensitive (self->continue_button, can_continue);
}

static void
set_busy (CriaWelcomePage *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  /* Not insensitive: taking sensitivity from a focused GtkText makes GTK 4.8 warn. */
  gtk_editable_set_editable (GTK_EDITABLE (self->key_row), !busy);
  update_actions (self);
}

/* Plain text only: server messages are untrusted. */
static void
show_error (CriaWelcomePage *self,
            const char      *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
finish_ready (CriaWelcomePage *self)
{
  cria_key_check_forget (self->check);
  /* The client has it now; do not leave a copy in the field. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_widget_set_visible (self->session_button, FALSE);
  show_error (self, NULL);
  set_busy (self, FALSE);
  g_signal_emit (self, signals[KEY_READY], 0);
}

static void
show_server_changed (CriaWelcomePage *self)
{
  show_error (self, _("The server address changed while the key was being checked. "
                      "The key was not saved; press Continue to check it with the new server."));
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CriaWelcomePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (cria_key_check_check_and_save_finish (CRIA_KEY_CHECK (object), result, &error))
    {
      finish_ready (self);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The key works; only keeping it failed. Offer to use it without saving. */
  if (g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NO_KEYRING) ||
      g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NOT_SAVED))
    {
      if (g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NO_KEYRING))
        show_error (self, _("The key works, but it can’t be saved in a keyring. "
                            "You can use it for this session only and enter it again next time."));
      else
        {
          g_autofree char *message = g_strdup_printf (_("The key works, but it could not be saved: %s"),
                                                      error->message);
          show_error (self, message);
        }

      gtk_widget_set_visible (self->session_button, TRUE);
      set_busy (self, FALSE);
      return;
    }

  /* The server address changed while the key was being checked (in
   * Preferences): the answer came from the old server and says nothing about
   * the new one. */
  if (g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_SERVER_CHANGED))
    {
      show_server_changed (self);
      set_busy (self, FALSE);
      return;
    }

  if (g_error_matches (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED))
    show_error (self, _("LlamaGate did not accept this API key. "
                        "Check that it was copied completely and has not been revoked."));
  else
    show_error (self, error->message);

  set_busy (self, FALSE);
  gtk_widget_grab_focus (self->key_row);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CriaWelcomePage *self = CRIA_WELCOME_PAGE (widget);

  if (self->busy || key_is_blank (self) || cria_client_get_refusal (self->client) != NULL)
    return;

  gtk_widget_set_visible (self->session_button, FALSE);
  show_error (self, NULL);
  set_busy (self, TRUE);

  cria_key_check_check_and_save_async (self->check,
                                       gtk_editable_get_text (GTK_EDITABLE (self->key_row)),
                                       self->cancellable,
                                       check_done_cb,
                                       g_object_ref (self));
}

static void
use_for_session_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CriaWelcomePage *self = CRIA_WELCOME_PAGE (widget);

  if (self->busy || !cria_key_check_has_unsaved_key (self->check))
    return;

  /* The key that was checked, for the server it was checked with; just do
   * not store it. It fails when the client serves another server now
   * (changed in Preferences), with no key. */
  if (!cria_key_check_use_for_session (self->check, NULL))
    {
      gtk_widget_set_visible (self->session_button, FALSE);
      show_server_changed (self);
      update_actions (self);
      return;
    }

  finish_ready (self);
}

static void
key_changed_cb (CriaWelcomePage *self)
{
  /* A session-only offer was for the key that was checked, not a new one. */
  if (!self->busy && self->check != NULL && cria_key_check_has_unsaved_key (self->check))
    {
      cria_key_check_forget (self->check);
      gtk_widget_set_visible (self->session_button, FALSE);
    }

  update_actions (self);
}

static void
key_activated_cb (CriaWelcomePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "welcome.continue", NULL);
}

static void
cria_welcome_page_dispose (GObject *object)
{
  CriaWelcomePage *self = CRIA_WELCOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (cria_welcome_page_parent_class)->dispose (object);
}

static void
cria_welcome_page_finalize (GObject *object)
{
  CriaWelcomePage *self = CRIA_WELCOME_PAGE (object);

  g_clear_object (&self->check);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cria_welcome_page_parent_class)->finalize (object);
}

static void
cria_welcome_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CriaWelcomePage *self = CRIA_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_welcome_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CriaWelcomePage *self = CRIA_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A client that refuses to send gets no key: the page says why instead of
 * asking for one. */
static void
cria_welcome_page_constructed (GObject *object)
{
  CriaWelcomePage *self = CRIA_WELCOME_PAGE (object);
  const GError *refusal;

  G_OBJECT_CLASS (cria_welcome_page_parent_class)->constructed (object);

  self->check = cria_key_check_new (self->client);
  refusal = cria_client_get_refusal (self->client);
  if (refusal != NULL)
    {
      show_error (self, refusal->message);
      gtk_editable_set_editable (GTK_EDITABLE (self->key_row), FALSE);
    }
  update_actions (self);
}

static void
cria_welcome_page_class_init (CriaWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cria_welcome_page_constructed;
  object_class->dispose = cria_welcome_page_dispose;
  object_class->finalize = cria_welcome_page_finalize;
  object_class->get_property = cria_welcome_page_get_property;
  object_class->set_property = cria_welcome_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         CRIA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CriaWelcomePage::key-ready:
   *
   * The client now has a key the server accepted. The key itself is never
   * passed around.
   */
  signals[KEY_READY] =
    g_signal_new ("key-ready",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaWelcomePage, key_row);
  gtk_widget_class_bind_template_child (widget_class, CriaWelcomePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CriaWelcomePage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, CriaWelcomePage, session_button);
  gtk_widget_class_bind_template_child (widget_class, CriaWelcomePage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, key_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_activated_cb);

  gtk_widget_class_install_action (widget_class, "welcome.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "welcome.use-for-session", NULL, use_for_session_action);

  gtk_widget_class_set_css_name (widget_class, "criawelcomepage");
}

static void
cria_welcome_page_init (CriaWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  update_actions (self);
}

GtkWidget *
cria_welcome_page_new (CriaClient *client)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);

  return g_object_new (CRIA_TYPE_WELCOME_PAGE,
                       "client", client,
                       NULL);
}

CriaClient *
cria_welcome_page_get_client (CriaWelcomePage *self)
{
  g_return_val_if_fail (CRIA_IS_WELCOME_PAGE (self), NULL);

  return self->client;
}

GtkWidget *
_cria_welcome_page_get_key_row (CriaWelcomePage *self)
{
  return self->key_row;
}

GtkWidget *
_cria_welcome_page_get_continue_button (CriaWelcomePage *self)
{
  return self->continue_button;
}

GtkWidget *
_cria_welcome_page_get_session_button (CriaWelcomePage *self)
{
  return self->session_button;
}

GtkWidget *
_cria_welcome_page_get_error_label (CriaWelcomePage *self)
{
  return self->error_label;
}

gboolean
_cria_welcome_page_get_busy (CriaWelcomePage *self)
{
  return self->busy;
}
