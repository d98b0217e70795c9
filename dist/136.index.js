export const id = 136;
export const ids = [136];
export const modules = {

/***/ 8755:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parseConfig: () => (/* binding */ parseConfig),
  resolveTarget: () => (/* binding */ resolveTarget)
});

// UNUSED EXPORTS: findTargetByInstanceId, formatIssues, validateConfig

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./shared/config/schema.ts

/**
 * One config file, shared by the action and the bot. Secrets never live here: Slack tokens and signing
 * secrets come from the environment of the front end that needs them, AWS credentials from the provider chain.
 */
const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const TARGET_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
// Compose directories and users end up inside a shell script on the instance: keep them to characters that need
// no quoting at all, so no value from the config can change the script's meaning.
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;
const POSIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const PARAMETER_PREFIX = /^\/[A-Za-z0-9_.\-/]+[^/]$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const instanceIdSchema = schemas/* string */.YjP()
    .regex(INSTANCE_ID, 'must be an EC2 instance id like i-0123456789abcdef0');
const regionSchema = schemas/* string */.YjP().regex(REGION, 'must be an AWS region like ap-northeast-2');
const COMPOSE_COMMANDS = ['auto', 'docker compose', 'docker-compose'];
const RECOVERY_POLICIES = ['auto', 'confirm', 'notify'];
const ALARM_STATISTICS = ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'];
const seconds = (min, max) => schemas/* number */.aig().int(`must be a whole number of seconds`).min(min).max(max);
const timeoutsSchema = schemas/* object */.Ikc({
    /** Best-effort evidence before the restart; a hung instance must not delay its own reboot. */
    evidence: seconds(5, 120).default(20),
    /** Reboot request to proven new boot. EC2 forces a hard reboot after about 4 minutes, so keep this above ~300. */
    reboot: seconds(60, 1800).default(420),
    /** Stop request to `stopped`, before a forced stop is tried. */
    stop: seconds(30, 1800).default(300),
    /** Forced stop to `stopped`. */
    forceStop: seconds(30, 1800).default(300),
    /** Start request to a proven new boot. */
    start: seconds(60, 1800).default(420),
    /** `docker compose up -d` to its exit. */
    compose: seconds(30, 1800).default(300),
    /** Services running/healthy and the HTTP probe answering. */
    verify: seconds(10, 1800).default(180),
})
    .strict();
const guardSchema = schemas/* object */.Ikc({
    cooldownMinutes: schemas/* number */.aig()
        .int()
        .min(0)
        .max(24 * 60)
        .default(15),
    maxAutomaticRecoveries: schemas/* number */.aig().int().min(1).max(100).default(3),
    windowHours: schemas/* number */.aig()
        .int()
        .min(1)
        .max(24 * 7)
        .default(6),
})
    .strict();
const alarmSchema = schemas/* object */.Ikc({
    enabled: schemas/* boolean */.zMY().default(true),
    /** Defaults follow the original setup: CPUUtilization, static threshold, greater than 95 %. */
    threshold: schemas/* number */.aig().gt(0).max(100, 'CPUUtilization is a percentage: use a value up to 100').default(95),
    statistic: schemas/* enum */.k5n(ALARM_STATISTICS).default('Average'),
    /** 300 s works on free basic monitoring; shorter periods need detailed monitoring. */
    periodSeconds: schemas/* union */.KCZ([schemas/* literal */.euz(10), schemas/* literal */.euz(30), schemas/* number */.aig().int().min(60).multipleOf(60)])
        .default(300),
    evaluationPeriods: schemas/* number */.aig().int().min(1).max(100).default(2),
    datapointsToAlarm: schemas/* number */.aig().int().min(1).max(100).optional(),
    /** The bot's SNS topic; the alarm notifies it on ALARM and OK. */
    topicArn: schemas/* string */.YjP().regex(TOPIC_ARN, 'must be an SNS topic ARN').optional(),
    /** The no-Lambda path: the alarm itself reboots the instance (arn:aws:automate:<region>:ec2:reboot). */
    rebootAction: schemas/* boolean */.zMY().default(false),
    /** A second alarm on StatusCheckFailed_System with the EC2 recover action. */
    systemRecovery: schemas/* boolean */.zMY().default(false),
})
    .strict()
    .refine((alarm) => alarm.datapointsToAlarm === undefined || alarm.datapointsToAlarm <= alarm.evaluationPeriods, {
    message: 'datapointsToAlarm cannot exceed evaluationPeriods',
    path: ['datapointsToAlarm'],
});
const targetSchema = schemas/* object */.Ikc({
    instanceId: instanceIdSchema,
    region: regionSchema.optional(),
    compose: schemas/* object */.Ikc({
        directory: schemas/* string */.YjP()
            .regex(SAFE_PATH, 'must be an absolute path of letters, digits, ".", "_", "-" and "/"'),
        command: schemas/* enum */.k5n(COMPOSE_COMMANDS).default('auto'),
        /** OS user that owns the compose project; commands run through `runuser`. Unset: root, as SSM runs them. */
        user: schemas/* string */.YjP().regex(POSIX_USER, 'must be a POSIX user name like ubuntu').optional(),
    })
        .strict(),
    healthCheck: schemas/* object */.Ikc({
        url: schemas/* url */.OZ5({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
        expectStatus: schemas/* number */.aig().int().min(100).max(599).optional(),
    })
        .strict()
        .optional(),
    policy: schemas/* enum */.k5n(RECOVERY_POLICIES).default('confirm'),
    /** Stop/start when no new boot is seen before the reboot deadline. */
    escalate: schemas/* boolean */.zMY().default(true),
    /** Also wait for EC2 status checks after the new boot (the original setup's signal; slow, never sufficient). */
    waitForStatusChecks: schemas/* boolean */.zMY().default(false),
    timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
    guard: guardSchema.default(guardSchema.parse({})),
    alarm: alarmSchema.default(alarmSchema.parse({})),
})
    .strict();
const slackSchema = schemas/* object */.Ikc({
    /** Channel the bot posts alarms and automatic recoveries to. */
    channel: schemas/* string */.YjP().regex(SLACK_CHANNEL, 'must be a Slack channel id like C0123ABCD'),
    /** Users who may restart, drill and press buttons. Empty: nobody may act from Slack. */
    allowedUsers: schemas/* array */.YOg(schemas/* string */.YjP().regex(SLACK_USER, 'must be a Slack user id like U0123ABCD')).default([]),
    /** When set, commands are accepted only from these channels. */
    allowedChannels: schemas/* array */.YOg(schemas/* string */.YjP().regex(SLACK_CHANNEL, 'must be a Slack channel id like C0123ABCD'))
        .optional(),
})
    .strict();
const snsSchema = schemas/* object */.Ikc({
    /** Only messages from these topics are accepted, and only their subscriptions are confirmed. */
    topicArns: schemas/* array */.YOg(schemas/* string */.YjP().regex(TOPIC_ARN, 'must be an SNS topic ARN')).min(1),
})
    .strict();
const configSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(1, { error: 'must be 1 (the only config version so far)' }).default(1),
    /** Default region for targets that do not name one. */
    region: regionSchema.optional(),
    /** Parameter Store namespace for locks and history. */
    parameterPrefix: schemas/* string */.YjP()
        .regex(PARAMETER_PREFIX, 'must start with "/" and not end with "/", like /domtory-recovery')
        .default('/domtory-recovery'),
    targets: schemas/* record */.g1P(schemas/* string */.YjP().regex(TARGET_NAME, 'target names are lower-case letters, digits and "-"'), targetSchema)
        .refine((targets) => Object.keys(targets).length > 0, 'at least one target is required'),
    slack: slackSchema.optional(),
    sns: snsSchema.optional(),
})
    .strict();

;// CONCATENATED MODULE: ./shared/config/load.ts



/**
 * Parses config text (YAML, of which JSON is a subset) into a validated `Config`.
 * Errors name the field by its path and say what a valid value looks like.
 */
function parseConfig(text, source = 'config') {
    let raw;
    try {
        raw = (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        const where = error instanceof dist/* YAMLParseError */.XT && error.linePos ? ` at line ${error.linePos[0].line}` : '';
        throw new errors/* RecoveryError */.gN('config-invalid', `${source} is not valid YAML${where}: ${error.message}`, {
            fix: 'Check the indentation and quoting around that line.',
            cause: error,
        });
    }
    return validateConfig(raw, source);
}
function validateConfig(raw, source = 'config') {
    const parsed = configSchema.safeParse(raw ?? {});
    if (!parsed.success) {
        throw new errors/* RecoveryError */.gN('config-invalid', `${source} is invalid:\n${formatIssues(parsed.error.issues)}`, {
            fix: 'Correct the fields listed above; docs/configuration.md describes each one.',
        });
    }
    return parsed.data;
}
function formatIssues(issues) {
    return issues
        .map((issue) => {
        const path = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
        return `  - ${path}: ${describeIssue(issue)}`;
    })
        .join('\n');
}
function describeIssue(issue) {
    if (issue.code === 'unrecognized_keys')
        return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && issue.message.includes('received undefined'))
        return 'is required';
    // A record key's own rule is nested one level down; its message says what a valid name looks like.
    if (issue.code === 'invalid_key')
        return `invalid name: ${issue.issues.map((nested) => nested.message).join('; ')}`;
    return issue.message;
}
/** Resolves a target by name, falling back to the config's default region. */
function resolveTarget(config, name) {
    const settings = config.targets[name];
    if (settings === undefined) {
        const known = Object.keys(config.targets).join(', ');
        throw new errors/* RecoveryError */.gN('unknown-target', `unknown target "${name}"`, {
            fix: `Use one of the configured targets: ${known}.`,
        });
    }
    const region = settings.region ?? config.region;
    if (region === undefined) {
        throw new errors/* RecoveryError */.gN('config-invalid', `target "${name}" has no region and the config sets no default`, {
            fix: `Set targets.${name}.region or the top-level region.`,
        });
    }
    return { ...settings, name, region };
}
/** Only configured instances are ever touched: an alarm for any other instance id maps to nothing. */
function findTargetByInstanceId(config, instanceId) {
    const entry = Object.entries(config.targets).find(([, target]) => target.instanceId === instanceId);
    return entry === undefined ? undefined : resolveTarget(config, entry[0]);
}


/***/ })

};
