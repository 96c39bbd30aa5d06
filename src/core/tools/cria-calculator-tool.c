/* cria-calculator-tool.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calculator a model calls for arithmetic it should not do in its head.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-builtin-tools-private.h"
#include "cria-calc.h"

struct _CriaCalculatorTool
{
  GObject   parent_instance;

  JsonNode *parameters;
};

static void tool_iface_init (CriaToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaCalculatorTool, cria_calculator_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_TOOL, tool_iface_init))

static const char parameters_json[] =
  "{"
  "  \"type\": \"object\","
  "  \"properties\": {"
  "    \"expression\": {"
  "      \"type\": \"string\","
  "      \"description\": \"The expression, e.g. (17.5 - 3) * 12 / 7, 2^64, sqrt(2), 10!, gcd(84, 36), log(1000), sin(pi/6)\""
  "    }"
  "  },"
  "  \"required\": [\"expression\"],"
  "  \"additionalProperties\": false"
  "}";

static const char *
get_name (CriaTool *tool)
{
  return "calculator";
}

static const char *
get_title (CriaTool *tool)
{
  return _("Calculator");
}

static const char *
get_description (CriaTool *tool)
{
  return "Evaluates an arithmetic expression exactly (integers, decimals and fractions are exact; "
         "irrational results are marked ≈). Operators: + - * / % ^ ! and parentheses. "
         "Functions: sqrt, cbrt, abs, sign, floor, ceil, round, trunc, min, max, gcd, lcm, factorial, "
         "binomial, pow, exp, ln, log (base 10, or log(x, base)), log2, sin, cos, tan, asin, acos, atan, "
         "atan2, sinh, cosh, tanh, hypot, deg, rad. Constants: pi, e, tau. Angles are in radians. "
         "Use it for any arithmetic instead of computing in your head.";
}

static JsonNode *
get_parameters (CriaTool *tool)
{
  return CRIA_CALCULATOR_TOOL (tool)->parameters;
}

static CriaToolApproval
get_approval (CriaTool *tool)
{
  return CRIA_TOOL_APPROVAL_NONE;
}

static void
run_async (CriaTool            *tool,
           JsonObject          *arguments,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (tool, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  const char *expression;

  g_task_set_source_tag (task, run_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!_cria_tool_get_string_arg (arguments, "expression", TRUE, &expression, &error))
    {
      _cria_tool_return_text (task, error->message, TRUE);
      return;
    }

  /* Bounded in length and depth, so it runs here rather than on a thread. */
  value = cria_calc_evaluate (expression, &error);
  if (value == NULL)
    {
      _cria_tool_return_text (task, error->message, TRUE);
      return;
    }

  text = g_strdup_printf ("%s = %s", expression, value);
  _cria_tool_return_text (task, text, FALSE);
}

static void
tool_iface_init (CriaToolInterface *iface)
{
  iface->get_name = get_name;
  iface->get_title = get_title;
  iface->get_description = get_description;
  iface->get_parameters = get_parameters;
  iface->get_approval = get_approval;
  iface->run_async = run_async;
  iface->run_finish = _cria_tool_task_finish;
}

static void
cria_calculator_tool_finalize (GObject *object)
{
  CriaCalculatorTool *self = CRIA_CALCULATOR_TOOL (object);

  g_clear_pointer (&self->parameters, json_node_unref);

  G_OBJECT_CLASS (cria_calculator_tool_parent_class)->finalize (object);
}

static void
cria_calculator_tool_class_init (CriaCalculatorToolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cria_calculator_tool_finalize;
}

static void
cria_calculator_tool_init (CriaCalculatorTool *self)
{
  self->parameters = _cria_tool_parse_schema (parameters_json);
}

CriaTool *
cria_calculator_tool_new (void)
{
  return g_object_new (CRIA_TYPE_CALCULATOR_TOOL, NULL);
}
