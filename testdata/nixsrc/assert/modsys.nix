# An imitation of nixpkgs' module system, small: the host's extraConfig
# (and the sections mkSystem copies) as option definitions, checked
# against declared option types, then assertions.
{ options, assertions, sections ? [ ], check ? (host: host) }:
hostConfig:
let
  host = check hostConfig;
  flatten = prefix: v:
    if builtins.isAttrs v && !(options ? ${prefix}) then
      builtins.concatLists (map (n: flatten (if prefix == "" then n else "${prefix}.${n}") v.${n}) (builtins.attrNames v))
    else [ { name = prefix; value = v; } ];
  typeOk = t: v:
    if t == "string" then builtins.isString v
    else if t == "boolean" then builtins.isBool v
    else if t == "signed integer" then builtins.isInt v
    else true;
  define = d:
    if !(options ? ${d.name}) then
      throw "The option `${d.name}' does not exist. Definition values:\n- In `<unknown-file>': ${builtins.toJSON d.value}"
    else if !(typeOk options.${d.name} d.value) then
      throw "A definition for option `${d.name}' is not of type `${options.${d.name}}'. Definition values:\n- In `<unknown-file>': ${builtins.toJSON d.value}"
    else d;
  copied = builtins.listToAttrs (map (s: { name = s.field; value = host.${s.field}; })
    (builtins.filter (s: host ? ${s.field} && (host.modules.${s.flag} or false)) sections));
  defs = map define (flatten "" (host.extraConfig or { } // copied));
in
{
  config = builtins.deepSeq defs { assertions = assertions host; };
}
