/* cria-attachment-chip.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-attachment-chip.h"
#include "cria-image-texture.h"

/* Below this, preparing is too quick for a progress bar to mean anything. */
#define PROGRESS_MIN_SIZE (2 * 1024 * 1024)
#define PREVIEW_SIDE 720

struct _CriaAttachmentChip
{
  GtkWidget       parent_instance;

  CriaAttachment *attachment;
  GCancellable   *preview_cancellable;
  gboolean        preview_loaded;

  GtkWidget      *box;
  GtkButton      *preview_button;
  GtkPicture     *thumbnail;
  GtkLabel       *name_label;
  GtkLabel       *detail_label;
  GtkProgressBar *progress_bar;
  GtkButton      *remove_button;
  GtkPopover     *preview_popover;
  GtkPicture     *preview_picture;
  GtkLabel       *preview_label;
};

G_DEFINE_FINAL_TYPE (CriaAttachmentChip, cria_attachment_chip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ATTACHMENT,
  N_PROPS
};

enum {
  REMOVE_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
describe_ready (CriaAttachment *attachment)
{
  CriaPreparedImage *image = cria_attachment_get_image (attachment);
  g_autofree char *sent = g_format_size (g_bytes_get_size (image->encoded));

  /* TRANSLATORS: the image's size in pixels, then the bytes sent */
  return g_strdup_printf (_("%d × %d, %s"), image->width, image->height, sent);
}

static void
update (CriaAttachmentChip *self)
{
  CriaAttachment *attachment = self->attachment;
  CriaAttachmentState state = cria_attachment_get_state (attachment);
  gint64 original_size = cria_attachment_get_original_size (attachment);
  const GError *error = cria_attachment_get_error (attachment);
  g_autofree char *detail = NULL;
  g_autofree char *remove_label = NULL;

  gtk_label_set_text (self->name_label, cria_attachment_get_name (attachment));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), cria_attachment_get_name (attachment));
  remove_label = g_strdup_printf (_("Remove %s"), cria_attachment_get_name (attachment));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);

  gtk_widget_remove_css_class (self->box, "error");
  switch (state)
    {
    case CRIA_ATTACHMENT_STATE_PREPARING:
      if (original_size > 0)
        {
          g_autofree char *size = g_format_size (original_size);

          detail = g_strdup_printf (_("Preparing %s…"), size);
        }
      else
        detail = g_strdup (_("Preparing…"));
      gtk_progress_bar_set_fraction (self->progress_bar, cria_attachment_get_progress (attachment));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                              original_size < 0 || original_size >= PROGRESS_MIN_SIZE);
      break;

    case CRIA_ATTACHMENT_STATE_READY:
      detail = describe_ready (attachment);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      break;

    case CRIA_ATTACHMENT_STATE_FAILED:
    default:
      detail = g_strdup (error != NULL ? error->message : _("The image could not be prepared."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      gtk_widget_add_css_class (self->box, "error");
      break;
    }

  gtk_label_set_text (self->detail_label, detail);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_button), state == CRIA_ATTACHMENT_STATE_READY);
}

static void
image_changed_cb (CriaAttachmentChip *self)
{
  CriaPreparedImage *image = cria_attachment_get_image (self->attachment);
  g_autoptr(GdkTexture) texture = NULL;

  self->preview_loaded = FALSE;
  if (image == NULL)
    {
      g_autoptr(GtkIconPaintable) icon = NULL;

      /* A failed image shows a broken picture; one being prepared, nothing yet. */
      if (cria_attachment_get_state (self->attachment) == CRIA_ATTACHMENT_STATE_FAILED)
        icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                           "image-missing-symbolic", NULL, 32, 1, GTK_TEXT_DIR_NONE, 0);
      gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (icon));
      return;
    }

  /* At most 160 pixels, so decoding it here costs nothing noticeable. */
  texture = gdk_texture_new_from_bytes (image->thumbnail, NULL);
  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
}

static void
preview_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CriaAttachmentChip) self = user_data;
  g_autoptr(GdkTexture) texture = cria_image_texture_load_finish (result, NULL);

  if (texture != NULL)
    gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
}

void
cria_attachment_chip_show_preview (CriaAttachmentChip *self)
{
  CriaPreparedImage *image;
  g_autofree char *original = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (CRIA_IS_ATTACHMENT_CHIP (self));

  image = cria_attachment_get_image (self->attachment);
  if (image == NULL)
    return;

  if (!self->preview_loaded)
    {
      /* The thumbnail stands in until the larger picture is decoded. */
      gtk_picture_set_paintable (self->preview_picture, gtk_picture_get_paintable (self->thumbnail));
      g_cancellable_cancel (self->preview_cancellable);
      g_clear_object (&self->preview_cancellable);
      self->preview_cancellable = g_cancellable_new ();
      cria_image_texture_load_async (image->encoded, NULL, PREVIEW_SIDE, self->preview_cancellable,
                                     preview_loaded_cb, g_object_ref (self));
      self->preview_loaded = TRUE;
    }

  original = g_format_size (image->original_size);
  sent = g_format_size (g_bytes_get_size (image->encoded));
  text = g_strdup_printf (_("Sent as %s, %d × %d pixels, %s (the original: %d × %d, %s). %s"),
                          g_str_equal (image->mime_type, "image/png") ? "PNG" : "JPEG",
                          image->width, image->height, sent,
                          image->original_width, image->original_height, original,
                          image->had_metadata
                          ? _("Its metadata — location (GPS), camera make and serial number, dates — was removed.")
                          : _("No metadata is sent: location, camera details and the like are always removed."));
  gtk_label_set_text (self->preview_label, text);
  gtk_popover_popup (self->preview_popover);
}

static void
preview_clicked_cb (CriaAttachmentChip *self)
{
  cria_attachment_chip_show_preview (self);
}

static void
remove_clicked_cb (CriaAttachmentChip *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

static void
cria_attachment_chip_dispose (GObject *object)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (self->attachment != NULL)
    g_signal_handlers_disconnect_by_data (self->attachment, self);
  g_clear_object (&self->attachment);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_ATTACHMENT_CHIP);

  G_OBJECT_CLASS (cria_attachment_chip_parent_class)->dispose (object);
}

static void
cria_attachment_chip_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  switch (prop_id)
    {
    case PROP_ATTACHMENT:
      g_value_set_object (value, self->attachment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_attachment_chip_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  switch (prop_id)
    {
    case PROP_ATTACHMENT:
      self->attachment = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_attachment_chip_constructed (GObject *object)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  G_OBJECT_CLASS (cria_attachment_chip_parent_class)->constructed (object);

  g_assert (self->attachment != NULL);
  g_signal_connect_swapped (self->attachment, "notify::state", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->attachment, "notify::progress", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->attachment, "notify::original-size", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->attachment, "notify::image", G_CALLBACK (image_changed_cb), self);
  update (self);
  image_changed_cb (self);
}

static void
cria_attachment_chip_class_init (CriaAttachmentChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_attachment_chip_dispose;
  object_class->get_property = cria_attachment_chip_get_property;
  object_class->set_property = cria_attachment_chip_set_property;
  object_class->constructed = cria_attachment_chip_constructed;

  properties[PROP_ATTACHMENT] =
    g_param_spec_object ("attachment", NULL, NULL, CRIA_TYPE_ATTACHMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REMOVE_REQUESTED] =
    g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-attachment-chip.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, box);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_button);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, name_label);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_popover);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_label);
  gtk_widget_class_bind_template_callback (widget_class, preview_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "criaattachmentchip");
}

static void
cria_attachment_chip_init (CriaAttachmentChip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cria_attachment_chip_new (CriaAttachment *attachment)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (attachment), NULL);

  return g_object_new (CRIA_TYPE_ATTACHMENT_CHIP, "attachment", attachment, NULL);
}

CriaAttachment *
cria_attachment_chip_get_attachment (CriaAttachmentChip *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT_CHIP (self), NULL);

  return self->attachment;
}
