/**
 * Error bodies as the providers send them, for the pool's verdicts (host/pipeline/upstream-failure.ts)
 * and for the fake upstreams' error behaviours. Shapes, codes and messages follow the providers'
 * error references and bodies reported verbatim in public issue threads (keys and project
 * numbers replaced):
 * - OpenAI: https://platform.openai.com/docs/guides/error-codes — `{"error": {message, type, param, code}}`;
 * - Anthropic: https://docs.anthropic.com/en/api/errors — `{"type": "error", "error": {type, message}, "request_id"}`;
 *   a spent balance and a reached spend limit come as 400 `invalid_request_error`, not `billing_error`;
 * - Gemini: https://ai.google.dev/gemini-api/docs/troubleshooting — a google.rpc.Status with
 *   `details` (ErrorInfo, QuotaFailure, RetryInfo, Help, LocalizedMessage).
 */

// ------------------------------------------------------------------------------------- OpenAI

export const OPENAI_401 = {
  error: {
    message: 'Incorrect API key provided: sk-proj-********************xyz1. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
};

/** OpenAI's side failed (as quoted in LlmKira/Openaibot#125 and the OpenAI community forum). */
export const OPENAI_500 = {
  error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
};

/** A spent balance: 429 like a rate limit, told apart by its code. */
export const OPENAI_429_QUOTA = {
  error: {
    message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    type: 'insufficient_quota',
    param: null,
    code: 'insufficient_quota',
  },
};

export const OPENAI_403_REGION = {
  error: { code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported', param: null, type: 'request_forbidden' },
};

export function openaiModelNotFound(model: string): object {
  return { error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } };
}

export const OPENAI_404_MODEL = openaiModelNotFound('gpt-5-turbo');

// ---------------------------------------------------------------------------------- Anthropic

function anthropicError(type: string, message: string): object {
  return { type: 'error', error: { type, message }, request_id: 'req_011CZLrUfBVkVHn5T6EqQaf7' };
}

export const ANTHROPIC_401 = anthropicError('authentication_error', 'invalid x-api-key');

/** Anthropic's side failed: `api_error`, "An unexpected error has occurred internal to Anthropic's systems." */
export const ANTHROPIC_500 = anthropicError('api_error', 'Internal server error');

export const ANTHROPIC_403 = anthropicError('permission_error', 'Your API key does not have permission to use the specified resource.');

export function anthropicModelNotFound(model: string): object {
  return anthropicError('not_found_error', `model: ${model}`);
}

export const ANTHROPIC_404_MODEL = anthropicModelNotFound('claude-3-opus-2024');

export const ANTHROPIC_400_CREDIT = anthropicError(
  'invalid_request_error',
  'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
);

export const ANTHROPIC_400_USAGE_LIMIT = anthropicError('invalid_request_error', 'You have reached your specified API usage limits. You will regain access on 2025-06-02 at 00:00 UTC.');

// ------------------------------------------------------------------------------------- Gemini

function geminiError(code: number, status: string, message: string, details: object[] = []): object {
  return { error: { code, message, status, ...(details.length > 0 ? { details } : {}) } };
}

const errorInfo = (reason: string, metadata: Record<string, string> = {}) => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain: 'googleapis.com',
  metadata: { service: 'generativelanguage.googleapis.com', ...metadata },
});

/** Google's side failed (as quoted in PublicAffairs/openai-gemini#15 and google-gemini/gemini-cli#3665). */
export const GEMINI_500 = geminiError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');

export const GEMINI_400_KEY_INVALID = geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  errorInfo('API_KEY_INVALID'),
  { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
]);

/** Google revoked the key: a 403 with no detail at all. */
export const GEMINI_403_LEAKED = geminiError(403, 'PERMISSION_DENIED', 'Your API key was reported as leaked. Please use another API key.');

export const GEMINI_403_SUSPENDED = geminiError(403, 'PERMISSION_DENIED', "Permission denied: Consumer 'api_key:AIza***' has been suspended.", [
  errorInfo('CONSUMER_SUSPENDED', { consumer: 'projects/000000000000' }),
]);

export const GEMINI_403_SERVICE_DISABLED = geminiError(
  403,
  'PERMISSION_DENIED',
  'Generative Language API has not been used in project 000000000000 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=000000000000 then retry.',
  [errorInfo('SERVICE_DISABLED', { consumer: 'projects/000000000000' })],
);

/** Not about the key: this model (or method) is not open to the caller. */
export const GEMINI_403_NO_PERMISSION = geminiError(403, 'PERMISSION_DENIED', 'The caller does not have permission');

/** Gemini refuses a region as a 400. */
export const GEMINI_400_LOCATION = geminiError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.');

export function geminiModelNotFound(model: string, method = 'generateContent'): object {
  return geminiError(
    404,
    'NOT_FOUND',
    `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  );
}

export const GEMINI_404_MODEL = geminiModelNotFound('gemini-1.0-pro');

/** A 429 RESOURCE_EXHAUSTED with these QuotaFailure violations, Help, and RetryInfo. */
export function geminiQuota(violations: object[], retryDelay = '37s'): object {
  return geminiError(
    429,
    'RESOURCE_EXHAUSTED',
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
    [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations },
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
    ],
  );
}

/**
 * The free tier's daily requests for one model are spent. Google lists the per-minute quotas
 * beside it, and still sends a RetryInfo of seconds.
 */
export function geminiDailyQuota(model: string, retryDelay = '37s'): object {
  return geminiQuota(
    [
      {
        quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count',
        quotaId: 'GenerateContentInputTokensPerModelPerMinute-FreeTier',
        quotaDimensions: { location: 'global', model },
      },
      {
        quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
        quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
        quotaDimensions: { location: 'global', model },
      },
      {
        quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
        quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
        quotaDimensions: { location: 'global', model },
        quotaValue: '250',
      },
    ],
    retryDelay,
  );
}

export const GEMINI_429_PER_DAY = geminiDailyQuota('gemini-2.5-pro');

export const GEMINI_429_PER_MINUTE = geminiQuota(
  [
    {
      quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count',
      quotaId: 'GenerateContentInputTokensPerModelPerMinute-FreeTier',
      quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
      quotaValue: '250000',
    },
  ],
  '26s',
);
