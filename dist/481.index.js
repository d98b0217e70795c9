export const id = 481;
export const ids = [481];
export const modules = {

/***/ 5481:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseConfig: () => (/* binding */ parseConfig),
/* harmony export */   resolveTarget: () => (/* binding */ resolveTarget)
/* harmony export */ });
/* unused harmony exports validateConfig, formatIssues, findTargetByInstanceId */
/* harmony import */ var js_yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3243);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2635);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4387);
// js-yaml rather than `yaml`: a config needs no round-tripping or comments kept, and the action parses it before
// its first AWS request, where a third of the code is a few milliseconds saved.



/**
 * Parses config text (YAML, of which JSON is a subset) into a validated `Config`.
 * Errors name the field by its path and say what a valid value looks like.
 */
function parseConfig(text, source = 'config') {
    let raw;
    try {
        raw = (0,js_yaml__WEBPACK_IMPORTED_MODULE_0__/* .load */ .Hh)(text);
    }
    catch (error) {
        const yamlError = error instanceof js_yaml__WEBPACK_IMPORTED_MODULE_0__/* .YAMLException */ .tB ? error : undefined;
        const where = yamlError?.mark === undefined ? '' : ` at line ${yamlError.mark.line + 1}`;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RecoveryError */ .gN('config-invalid', `${source} is not valid YAML${where}: ${yamlError?.reason ?? error.message}`, {
            fix: 'Check the indentation and quoting around that line.',
            cause: error,
        });
    }
    return validateConfig(raw, source);
}
function validateConfig(raw, source = 'config') {
    const parsed = (0,_schema_js__WEBPACK_IMPORTED_MODULE_2__/* .safeParseConfig */ .Bw)(raw ?? {});
    if (!parsed.success) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RecoveryError */ .gN('config-invalid', `${source} is invalid:\n${formatIssues(parsed.error.issues)}`, {
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
    // A record key's own rule is nested one level down; its message says what a valid name looks like.
    if (issue.code === 'invalid_key')
        return `invalid name: ${issue.issues.map((nested) => nested.message).join('; ')}`;
    return issue.message;
}
/** Resolves a target by name, falling back to the config's default region. */
function resolveTarget(config, name) {
    // Own keys only: a name from a user ("constructor", "__proto__") must never resolve to something inherited.
    const settings = Object.hasOwn(config.targets, name) ? config.targets[name] : undefined;
    if (settings === undefined) {
        const known = Object.keys(config.targets).join(', ');
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RecoveryError */ .gN('unknown-target', `unknown target "${name}"`, {
            fix: `Use one of the configured targets: ${known}.`,
        });
    }
    const region = settings.region ?? config.region;
    if (region === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RecoveryError */ .gN('config-invalid', `target "${name}" has no region and the config sets no default`, {
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
