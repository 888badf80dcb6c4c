/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
import $protobuf from "protobufjs/minimal.js";

const $toNumber = (value) => typeof value === "number" ? value : value.toNumber();
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const push_server = $root.push_server = (() => {

    const push_server = {};

    push_server.messages2 = (function() {

        const messages2 = {};

        messages2.CommandType = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "session"] = 0;
            values[valuesById[1] = "conv"] = 1;
            values[valuesById[2] = "direct"] = 2;
            values[valuesById[3] = "ack"] = 3;
            values[valuesById[4] = "rcp"] = 4;
            values[valuesById[5] = "unread"] = 5;
            values[valuesById[6] = "logs"] = 6;
            values[valuesById[7] = "error"] = 7;
            values[valuesById[8] = "login"] = 8;
            values[valuesById[9] = "data"] = 9;
            values[valuesById[10] = "room"] = 10;
            values[valuesById[11] = "read"] = 11;
            values[valuesById[12] = "presence"] = 12;
            values[valuesById[13] = "report"] = 13;
            values[valuesById[14] = "echo"] = 14;
            values[valuesById[15] = "loggedin"] = 15;
            values[valuesById[16] = "logout"] = 16;
            values[valuesById[17] = "loggedout"] = 17;
            values[valuesById[18] = "patch"] = 18;
            values[valuesById[19] = "pubsub"] = 19;
            values[valuesById[20] = "blacklist"] = 20;
            values[valuesById[21] = "goaway"] = 21;
            return values;
        })();

        messages2.OpType = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[1] = "open"] = 1;
            values[valuesById[2] = "add"] = 2;
            values[valuesById[3] = "remove"] = 3;
            values[valuesById[4] = "close"] = 4;
            values[valuesById[5] = "opened"] = 5;
            values[valuesById[6] = "closed"] = 6;
            values[valuesById[7] = "query"] = 7;
            values[valuesById[8] = "query_result"] = 8;
            values[valuesById[9] = "conflict"] = 9;
            values[valuesById[10] = "added"] = 10;
            values[valuesById[11] = "removed"] = 11;
            values[valuesById[12] = "refresh"] = 12;
            values[valuesById[13] = "refreshed"] = 13;
            values[valuesById[30] = "start"] = 30;
            values[valuesById[31] = "started"] = 31;
            values[valuesById[32] = "joined"] = 32;
            values[valuesById[33] = "members_joined"] = 33;
            values[valuesById[39] = "left"] = 39;
            values[valuesById[40] = "members_left"] = 40;
            values[valuesById[42] = "results"] = 42;
            values[valuesById[43] = "count"] = 43;
            values[valuesById[44] = "result"] = 44;
            values[valuesById[45] = "update"] = 45;
            values[valuesById[46] = "updated"] = 46;
            values[valuesById[47] = "mute"] = 47;
            values[valuesById[48] = "unmute"] = 48;
            values[valuesById[49] = "status"] = 49;
            values[valuesById[50] = "members"] = 50;
            values[valuesById[51] = "max_read"] = 51;
            values[valuesById[52] = "is_member"] = 52;
            values[valuesById[53] = "member_info_update"] = 53;
            values[valuesById[54] = "member_info_updated"] = 54;
            values[valuesById[55] = "member_info_changed"] = 55;
            values[valuesById[80] = "join"] = 80;
            values[valuesById[81] = "invite"] = 81;
            values[valuesById[82] = "leave"] = 82;
            values[valuesById[83] = "kick"] = 83;
            values[valuesById[84] = "reject"] = 84;
            values[valuesById[85] = "invited"] = 85;
            values[valuesById[86] = "kicked"] = 86;
            values[valuesById[100] = "upload"] = 100;
            values[valuesById[101] = "uploaded"] = 101;
            values[valuesById[120] = "subscribe"] = 120;
            values[valuesById[121] = "subscribed"] = 121;
            values[valuesById[122] = "unsubscribe"] = 122;
            values[valuesById[123] = "unsubscribed"] = 123;
            values[valuesById[124] = "is_subscribed"] = 124;
            values[valuesById[150] = "modify"] = 150;
            values[valuesById[151] = "modified"] = 151;
            values[valuesById[170] = "block"] = 170;
            values[valuesById[171] = "unblock"] = 171;
            values[valuesById[172] = "blocked"] = 172;
            values[valuesById[173] = "unblocked"] = 173;
            values[valuesById[174] = "members_blocked"] = 174;
            values[valuesById[175] = "members_unblocked"] = 175;
            values[valuesById[176] = "check_block"] = 176;
            values[valuesById[177] = "check_result"] = 177;
            values[valuesById[180] = "add_shutup"] = 180;
            values[valuesById[181] = "remove_shutup"] = 181;
            values[valuesById[182] = "query_shutup"] = 182;
            values[valuesById[183] = "shutup_added"] = 183;
            values[valuesById[184] = "shutup_removed"] = 184;
            values[valuesById[185] = "shutup_result"] = 185;
            values[valuesById[186] = "shutuped"] = 186;
            values[valuesById[187] = "unshutuped"] = 187;
            values[valuesById[188] = "members_shutuped"] = 188;
            values[valuesById[189] = "members_unshutuped"] = 189;
            values[valuesById[190] = "check_shutup"] = 190;
            return values;
        })();

        messages2.StatusType = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[1] = "on"] = 1;
            values[valuesById[2] = "off"] = 2;
            return values;
        })();

        messages2.JsonObjectMessage = (function() {

            function JsonObjectMessage(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            JsonObjectMessage.prototype.data = "";

            JsonObjectMessage.create = function create(properties) {
                return new JsonObjectMessage(properties);
            };

            JsonObjectMessage.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                writer.uint32(10).string(message.data);
                return writer;
            };

            JsonObjectMessage.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.JsonObjectMessage();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.data = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                if (!Object.hasOwnProperty.call(message, "data"))
                    throw $util.ProtocolError("missing required 'data'", { instance: message });
                return message;
            };

            return JsonObjectMessage;
        })();

        messages2.UnreadTuple = (function() {

            function UnreadTuple(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            UnreadTuple.prototype.cid = "";
            UnreadTuple.prototype.unread = 0;
            UnreadTuple.prototype.mid = "";
            UnreadTuple.prototype.timestamp = 0;
            UnreadTuple.prototype.from = "";
            UnreadTuple.prototype.data = "";
            UnreadTuple.prototype.patchTimestamp = 0;
            UnreadTuple.prototype.mentioned = false;
            UnreadTuple.prototype.binaryMsg = $util.newBuffer([]);
            UnreadTuple.prototype.convType = 0;

            UnreadTuple.create = function create(properties) {
                return new UnreadTuple(properties);
            };

            UnreadTuple.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                writer.uint32(10).string(message.cid);
                writer.uint32(16).int32(message.unread);
                if (message.mid != null && Object.hasOwnProperty.call(message, "mid"))
                    writer.uint32(26).string(message.mid);
                if (message.timestamp != null && Object.hasOwnProperty.call(message, "timestamp"))
                    writer.uint32(32).int64(message.timestamp);
                if (message.from != null && Object.hasOwnProperty.call(message, "from"))
                    writer.uint32(42).string(message.from);
                if (message.data != null && Object.hasOwnProperty.call(message, "data"))
                    writer.uint32(50).string(message.data);
                if (message.patchTimestamp != null && Object.hasOwnProperty.call(message, "patchTimestamp"))
                    writer.uint32(56).int64(message.patchTimestamp);
                if (message.mentioned != null && Object.hasOwnProperty.call(message, "mentioned"))
                    writer.uint32(64).bool(message.mentioned);
                if (message.binaryMsg != null && Object.hasOwnProperty.call(message, "binaryMsg"))
                    writer.uint32(74).bytes(message.binaryMsg);
                if (message.convType != null && Object.hasOwnProperty.call(message, "convType"))
                    writer.uint32(80).int32(message.convType);
                return writer;
            };

            UnreadTuple.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.UnreadTuple();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.cid = reader.string();
                            break;
                        }
                    case 2: {
                            message.unread = reader.int32();
                            break;
                        }
                    case 3: {
                            message.mid = reader.string();
                            break;
                        }
                    case 4: {
                            message.timestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 5: {
                            message.from = reader.string();
                            break;
                        }
                    case 6: {
                            message.data = reader.string();
                            break;
                        }
                    case 7: {
                            message.patchTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 8: {
                            message.mentioned = reader.bool();
                            break;
                        }
                    case 9: {
                            message.binaryMsg = reader.bytes();
                            break;
                        }
                    case 10: {
                            message.convType = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                if (!Object.hasOwnProperty.call(message, "cid"))
                    throw $util.ProtocolError("missing required 'cid'", { instance: message });
                if (!Object.hasOwnProperty.call(message, "unread"))
                    throw $util.ProtocolError("missing required 'unread'", { instance: message });
                return message;
            };

            return UnreadTuple;
        })();

        messages2.LogItem = (function() {

            function LogItem(properties) {
                this.mentionPids = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            LogItem.prototype.from = "";
            LogItem.prototype.data = "";
            LogItem.prototype.timestamp = 0;
            LogItem.prototype.msgId = "";
            LogItem.prototype.ackAt = 0;
            LogItem.prototype.readAt = 0;
            LogItem.prototype.patchTimestamp = 0;
            LogItem.prototype.mentionAll = false;
            LogItem.prototype.mentionPids = $util.emptyArray;
            LogItem.prototype.bin = false;
            LogItem.prototype.convType = 0;

            LogItem.create = function create(properties) {
                return new LogItem(properties);
            };

            LogItem.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.from != null && Object.hasOwnProperty.call(message, "from"))
                    writer.uint32(10).string(message.from);
                if (message.data != null && Object.hasOwnProperty.call(message, "data"))
                    writer.uint32(18).string(message.data);
                if (message.timestamp != null && Object.hasOwnProperty.call(message, "timestamp"))
                    writer.uint32(24).int64(message.timestamp);
                if (message.msgId != null && Object.hasOwnProperty.call(message, "msgId"))
                    writer.uint32(34).string(message.msgId);
                if (message.ackAt != null && Object.hasOwnProperty.call(message, "ackAt"))
                    writer.uint32(40).int64(message.ackAt);
                if (message.readAt != null && Object.hasOwnProperty.call(message, "readAt"))
                    writer.uint32(48).int64(message.readAt);
                if (message.patchTimestamp != null && Object.hasOwnProperty.call(message, "patchTimestamp"))
                    writer.uint32(56).int64(message.patchTimestamp);
                if (message.mentionAll != null && Object.hasOwnProperty.call(message, "mentionAll"))
                    writer.uint32(64).bool(message.mentionAll);
                if (message.mentionPids != null && message.mentionPids.length)
                    for (let i = 0; i < message.mentionPids.length; ++i)
                        writer.uint32(74).string(message.mentionPids[i]);
                if (message.bin != null && Object.hasOwnProperty.call(message, "bin"))
                    writer.uint32(80).bool(message.bin);
                if (message.convType != null && Object.hasOwnProperty.call(message, "convType"))
                    writer.uint32(88).int32(message.convType);
                return writer;
            };

            LogItem.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.LogItem();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.from = reader.string();
                            break;
                        }
                    case 2: {
                            message.data = reader.string();
                            break;
                        }
                    case 3: {
                            message.timestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 4: {
                            message.msgId = reader.string();
                            break;
                        }
                    case 5: {
                            message.ackAt = $toNumber(reader.int64());
                            break;
                        }
                    case 6: {
                            message.readAt = $toNumber(reader.int64());
                            break;
                        }
                    case 7: {
                            message.patchTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 8: {
                            message.mentionAll = reader.bool();
                            break;
                        }
                    case 9: {
                            if (!(message.mentionPids && message.mentionPids.length))
                                message.mentionPids = [];
                            message.mentionPids.push(reader.string());
                            break;
                        }
                    case 10: {
                            message.bin = reader.bool();
                            break;
                        }
                    case 11: {
                            message.convType = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return LogItem;
        })();

        messages2.ConvMemberInfo = (function() {

            function ConvMemberInfo(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ConvMemberInfo.prototype.pid = "";
            ConvMemberInfo.prototype.role = "";
            ConvMemberInfo.prototype.infoId = "";

            ConvMemberInfo.create = function create(properties) {
                return new ConvMemberInfo(properties);
            };

            ConvMemberInfo.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.pid != null && Object.hasOwnProperty.call(message, "pid"))
                    writer.uint32(10).string(message.pid);
                if (message.role != null && Object.hasOwnProperty.call(message, "role"))
                    writer.uint32(18).string(message.role);
                if (message.infoId != null && Object.hasOwnProperty.call(message, "infoId"))
                    writer.uint32(26).string(message.infoId);
                return writer;
            };

            ConvMemberInfo.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.ConvMemberInfo();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.pid = reader.string();
                            break;
                        }
                    case 2: {
                            message.role = reader.string();
                            break;
                        }
                    case 3: {
                            message.infoId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return ConvMemberInfo;
        })();

        messages2.DataCommand = (function() {

            function DataCommand(properties) {
                this.ids = [];
                this.msg = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            DataCommand.prototype.ids = $util.emptyArray;
            DataCommand.prototype.msg = $util.emptyArray;
            DataCommand.prototype.offline = false;

            DataCommand.create = function create(properties) {
                return new DataCommand(properties);
            };

            DataCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.ids != null && message.ids.length)
                    for (let i = 0; i < message.ids.length; ++i)
                        writer.uint32(10).string(message.ids[i]);
                if (message.msg != null && message.msg.length)
                    for (let i = 0; i < message.msg.length; ++i)
                        $root.push_server.messages2.JsonObjectMessage.encode(message.msg[i], writer.uint32(18).fork(), q + 1).ldelim();
                if (message.offline != null && Object.hasOwnProperty.call(message, "offline"))
                    writer.uint32(24).bool(message.offline);
                return writer;
            };

            DataCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.DataCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.ids && message.ids.length))
                                message.ids = [];
                            message.ids.push(reader.string());
                            break;
                        }
                    case 2: {
                            if (!(message.msg && message.msg.length))
                                message.msg = [];
                            message.msg.push($root.push_server.messages2.JsonObjectMessage.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 3: {
                            message.offline = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return DataCommand;
        })();

        messages2.SessionCommand = (function() {

            function SessionCommand(properties) {
                this.sessionPeerIds = [];
                this.onlineSessionPeerIds = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            SessionCommand.prototype.t = 0;
            SessionCommand.prototype.n = "";
            SessionCommand.prototype.s = "";
            SessionCommand.prototype.ua = "";
            SessionCommand.prototype.r = false;
            SessionCommand.prototype.tag = "";
            SessionCommand.prototype.deviceId = "";
            SessionCommand.prototype.sessionPeerIds = $util.emptyArray;
            SessionCommand.prototype.onlineSessionPeerIds = $util.emptyArray;
            SessionCommand.prototype.st = "";
            SessionCommand.prototype.stTtl = 0;
            SessionCommand.prototype.code = 0;
            SessionCommand.prototype.reason = "";
            SessionCommand.prototype.deviceToken = "";
            SessionCommand.prototype.sp = false;
            SessionCommand.prototype.detail = "";
            SessionCommand.prototype.lastUnreadNotifTime = 0;
            SessionCommand.prototype.lastPatchTime = 0;
            SessionCommand.prototype.configBitmap = 0;

            SessionCommand.create = function create(properties) {
                return new SessionCommand(properties);
            };

            SessionCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.t != null && Object.hasOwnProperty.call(message, "t"))
                    writer.uint32(8).int64(message.t);
                if (message.n != null && Object.hasOwnProperty.call(message, "n"))
                    writer.uint32(18).string(message.n);
                if (message.s != null && Object.hasOwnProperty.call(message, "s"))
                    writer.uint32(26).string(message.s);
                if (message.ua != null && Object.hasOwnProperty.call(message, "ua"))
                    writer.uint32(34).string(message.ua);
                if (message.r != null && Object.hasOwnProperty.call(message, "r"))
                    writer.uint32(40).bool(message.r);
                if (message.tag != null && Object.hasOwnProperty.call(message, "tag"))
                    writer.uint32(50).string(message.tag);
                if (message.deviceId != null && Object.hasOwnProperty.call(message, "deviceId"))
                    writer.uint32(58).string(message.deviceId);
                if (message.sessionPeerIds != null && message.sessionPeerIds.length)
                    for (let i = 0; i < message.sessionPeerIds.length; ++i)
                        writer.uint32(66).string(message.sessionPeerIds[i]);
                if (message.onlineSessionPeerIds != null && message.onlineSessionPeerIds.length)
                    for (let i = 0; i < message.onlineSessionPeerIds.length; ++i)
                        writer.uint32(74).string(message.onlineSessionPeerIds[i]);
                if (message.st != null && Object.hasOwnProperty.call(message, "st"))
                    writer.uint32(82).string(message.st);
                if (message.stTtl != null && Object.hasOwnProperty.call(message, "stTtl"))
                    writer.uint32(88).int32(message.stTtl);
                if (message.code != null && Object.hasOwnProperty.call(message, "code"))
                    writer.uint32(96).int32(message.code);
                if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                    writer.uint32(106).string(message.reason);
                if (message.deviceToken != null && Object.hasOwnProperty.call(message, "deviceToken"))
                    writer.uint32(114).string(message.deviceToken);
                if (message.sp != null && Object.hasOwnProperty.call(message, "sp"))
                    writer.uint32(120).bool(message.sp);
                if (message.detail != null && Object.hasOwnProperty.call(message, "detail"))
                    writer.uint32(130).string(message.detail);
                if (message.lastUnreadNotifTime != null && Object.hasOwnProperty.call(message, "lastUnreadNotifTime"))
                    writer.uint32(136).int64(message.lastUnreadNotifTime);
                if (message.lastPatchTime != null && Object.hasOwnProperty.call(message, "lastPatchTime"))
                    writer.uint32(144).int64(message.lastPatchTime);
                if (message.configBitmap != null && Object.hasOwnProperty.call(message, "configBitmap"))
                    writer.uint32(152).int64(message.configBitmap);
                return writer;
            };

            SessionCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.SessionCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.t = $toNumber(reader.int64());
                            break;
                        }
                    case 2: {
                            message.n = reader.string();
                            break;
                        }
                    case 3: {
                            message.s = reader.string();
                            break;
                        }
                    case 4: {
                            message.ua = reader.string();
                            break;
                        }
                    case 5: {
                            message.r = reader.bool();
                            break;
                        }
                    case 6: {
                            message.tag = reader.string();
                            break;
                        }
                    case 7: {
                            message.deviceId = reader.string();
                            break;
                        }
                    case 8: {
                            if (!(message.sessionPeerIds && message.sessionPeerIds.length))
                                message.sessionPeerIds = [];
                            message.sessionPeerIds.push(reader.string());
                            break;
                        }
                    case 9: {
                            if (!(message.onlineSessionPeerIds && message.onlineSessionPeerIds.length))
                                message.onlineSessionPeerIds = [];
                            message.onlineSessionPeerIds.push(reader.string());
                            break;
                        }
                    case 10: {
                            message.st = reader.string();
                            break;
                        }
                    case 11: {
                            message.stTtl = reader.int32();
                            break;
                        }
                    case 12: {
                            message.code = reader.int32();
                            break;
                        }
                    case 13: {
                            message.reason = reader.string();
                            break;
                        }
                    case 14: {
                            message.deviceToken = reader.string();
                            break;
                        }
                    case 15: {
                            message.sp = reader.bool();
                            break;
                        }
                    case 16: {
                            message.detail = reader.string();
                            break;
                        }
                    case 17: {
                            message.lastUnreadNotifTime = $toNumber(reader.int64());
                            break;
                        }
                    case 18: {
                            message.lastPatchTime = $toNumber(reader.int64());
                            break;
                        }
                    case 19: {
                            message.configBitmap = $toNumber(reader.int64());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return SessionCommand;
        })();

        messages2.ErrorCommand = (function() {

            function ErrorCommand(properties) {
                this.pids = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ErrorCommand.prototype.code = 0;
            ErrorCommand.prototype.reason = "";
            ErrorCommand.prototype.appCode = 0;
            ErrorCommand.prototype.detail = "";
            ErrorCommand.prototype.pids = $util.emptyArray;
            ErrorCommand.prototype.appMsg = "";

            ErrorCommand.create = function create(properties) {
                return new ErrorCommand(properties);
            };

            ErrorCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                writer.uint32(8).int32(message.code);
                writer.uint32(18).string(message.reason);
                if (message.appCode != null && Object.hasOwnProperty.call(message, "appCode"))
                    writer.uint32(24).int32(message.appCode);
                if (message.detail != null && Object.hasOwnProperty.call(message, "detail"))
                    writer.uint32(34).string(message.detail);
                if (message.pids != null && message.pids.length)
                    for (let i = 0; i < message.pids.length; ++i)
                        writer.uint32(42).string(message.pids[i]);
                if (message.appMsg != null && Object.hasOwnProperty.call(message, "appMsg"))
                    writer.uint32(50).string(message.appMsg);
                return writer;
            };

            ErrorCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.ErrorCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.code = reader.int32();
                            break;
                        }
                    case 2: {
                            message.reason = reader.string();
                            break;
                        }
                    case 3: {
                            message.appCode = reader.int32();
                            break;
                        }
                    case 4: {
                            message.detail = reader.string();
                            break;
                        }
                    case 5: {
                            if (!(message.pids && message.pids.length))
                                message.pids = [];
                            message.pids.push(reader.string());
                            break;
                        }
                    case 6: {
                            message.appMsg = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                if (!Object.hasOwnProperty.call(message, "code"))
                    throw $util.ProtocolError("missing required 'code'", { instance: message });
                if (!Object.hasOwnProperty.call(message, "reason"))
                    throw $util.ProtocolError("missing required 'reason'", { instance: message });
                return message;
            };

            return ErrorCommand;
        })();

        messages2.DirectCommand = (function() {

            function DirectCommand(properties) {
                this.toPeerIds = [];
                this.mentionPids = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            DirectCommand.prototype.msg = "";
            DirectCommand.prototype.uid = "";
            DirectCommand.prototype.fromPeerId = "";
            DirectCommand.prototype.timestamp = 0;
            DirectCommand.prototype.offline = false;
            DirectCommand.prototype.hasMore = false;
            DirectCommand.prototype.toPeerIds = $util.emptyArray;
            DirectCommand.prototype.r = false;
            DirectCommand.prototype.cid = "";
            DirectCommand.prototype.id = "";
            DirectCommand.prototype.transient = false;
            DirectCommand.prototype.dt = "";
            DirectCommand.prototype.roomId = "";
            DirectCommand.prototype.pushData = "";
            DirectCommand.prototype.will = false;
            DirectCommand.prototype.patchTimestamp = 0;
            DirectCommand.prototype.binaryMsg = $util.newBuffer([]);
            DirectCommand.prototype.mentionPids = $util.emptyArray;
            DirectCommand.prototype.mentionAll = false;
            DirectCommand.prototype.convType = 0;

            DirectCommand.create = function create(properties) {
                return new DirectCommand(properties);
            };

            DirectCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.msg != null && Object.hasOwnProperty.call(message, "msg"))
                    writer.uint32(10).string(message.msg);
                if (message.uid != null && Object.hasOwnProperty.call(message, "uid"))
                    writer.uint32(18).string(message.uid);
                if (message.fromPeerId != null && Object.hasOwnProperty.call(message, "fromPeerId"))
                    writer.uint32(26).string(message.fromPeerId);
                if (message.timestamp != null && Object.hasOwnProperty.call(message, "timestamp"))
                    writer.uint32(32).int64(message.timestamp);
                if (message.offline != null && Object.hasOwnProperty.call(message, "offline"))
                    writer.uint32(40).bool(message.offline);
                if (message.hasMore != null && Object.hasOwnProperty.call(message, "hasMore"))
                    writer.uint32(48).bool(message.hasMore);
                if (message.toPeerIds != null && message.toPeerIds.length)
                    for (let i = 0; i < message.toPeerIds.length; ++i)
                        writer.uint32(58).string(message.toPeerIds[i]);
                if (message.r != null && Object.hasOwnProperty.call(message, "r"))
                    writer.uint32(80).bool(message.r);
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(90).string(message.cid);
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    writer.uint32(98).string(message.id);
                if (message.transient != null && Object.hasOwnProperty.call(message, "transient"))
                    writer.uint32(104).bool(message.transient);
                if (message.dt != null && Object.hasOwnProperty.call(message, "dt"))
                    writer.uint32(114).string(message.dt);
                if (message.roomId != null && Object.hasOwnProperty.call(message, "roomId"))
                    writer.uint32(122).string(message.roomId);
                if (message.pushData != null && Object.hasOwnProperty.call(message, "pushData"))
                    writer.uint32(130).string(message.pushData);
                if (message.will != null && Object.hasOwnProperty.call(message, "will"))
                    writer.uint32(136).bool(message.will);
                if (message.patchTimestamp != null && Object.hasOwnProperty.call(message, "patchTimestamp"))
                    writer.uint32(144).int64(message.patchTimestamp);
                if (message.binaryMsg != null && Object.hasOwnProperty.call(message, "binaryMsg"))
                    writer.uint32(154).bytes(message.binaryMsg);
                if (message.mentionPids != null && message.mentionPids.length)
                    for (let i = 0; i < message.mentionPids.length; ++i)
                        writer.uint32(162).string(message.mentionPids[i]);
                if (message.mentionAll != null && Object.hasOwnProperty.call(message, "mentionAll"))
                    writer.uint32(168).bool(message.mentionAll);
                if (message.convType != null && Object.hasOwnProperty.call(message, "convType"))
                    writer.uint32(176).int32(message.convType);
                return writer;
            };

            DirectCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.DirectCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.msg = reader.string();
                            break;
                        }
                    case 2: {
                            message.uid = reader.string();
                            break;
                        }
                    case 3: {
                            message.fromPeerId = reader.string();
                            break;
                        }
                    case 4: {
                            message.timestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 5: {
                            message.offline = reader.bool();
                            break;
                        }
                    case 6: {
                            message.hasMore = reader.bool();
                            break;
                        }
                    case 7: {
                            if (!(message.toPeerIds && message.toPeerIds.length))
                                message.toPeerIds = [];
                            message.toPeerIds.push(reader.string());
                            break;
                        }
                    case 10: {
                            message.r = reader.bool();
                            break;
                        }
                    case 11: {
                            message.cid = reader.string();
                            break;
                        }
                    case 12: {
                            message.id = reader.string();
                            break;
                        }
                    case 13: {
                            message.transient = reader.bool();
                            break;
                        }
                    case 14: {
                            message.dt = reader.string();
                            break;
                        }
                    case 15: {
                            message.roomId = reader.string();
                            break;
                        }
                    case 16: {
                            message.pushData = reader.string();
                            break;
                        }
                    case 17: {
                            message.will = reader.bool();
                            break;
                        }
                    case 18: {
                            message.patchTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 19: {
                            message.binaryMsg = reader.bytes();
                            break;
                        }
                    case 20: {
                            if (!(message.mentionPids && message.mentionPids.length))
                                message.mentionPids = [];
                            message.mentionPids.push(reader.string());
                            break;
                        }
                    case 21: {
                            message.mentionAll = reader.bool();
                            break;
                        }
                    case 22: {
                            message.convType = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return DirectCommand;
        })();

        messages2.AckCommand = (function() {

            function AckCommand(properties) {
                this.ids = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            AckCommand.prototype.code = 0;
            AckCommand.prototype.reason = "";
            AckCommand.prototype.mid = "";
            AckCommand.prototype.cid = "";
            AckCommand.prototype.t = 0;
            AckCommand.prototype.uid = "";
            AckCommand.prototype.fromts = 0;
            AckCommand.prototype.tots = 0;
            AckCommand.prototype.type = "";
            AckCommand.prototype.ids = $util.emptyArray;
            AckCommand.prototype.appCode = 0;
            AckCommand.prototype.appMsg = "";

            AckCommand.create = function create(properties) {
                return new AckCommand(properties);
            };

            AckCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.code != null && Object.hasOwnProperty.call(message, "code"))
                    writer.uint32(8).int32(message.code);
                if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                    writer.uint32(18).string(message.reason);
                if (message.mid != null && Object.hasOwnProperty.call(message, "mid"))
                    writer.uint32(26).string(message.mid);
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(34).string(message.cid);
                if (message.t != null && Object.hasOwnProperty.call(message, "t"))
                    writer.uint32(40).int64(message.t);
                if (message.uid != null && Object.hasOwnProperty.call(message, "uid"))
                    writer.uint32(50).string(message.uid);
                if (message.fromts != null && Object.hasOwnProperty.call(message, "fromts"))
                    writer.uint32(56).int64(message.fromts);
                if (message.tots != null && Object.hasOwnProperty.call(message, "tots"))
                    writer.uint32(64).int64(message.tots);
                if (message.type != null && Object.hasOwnProperty.call(message, "type"))
                    writer.uint32(74).string(message.type);
                if (message.ids != null && message.ids.length)
                    for (let i = 0; i < message.ids.length; ++i)
                        writer.uint32(82).string(message.ids[i]);
                if (message.appCode != null && Object.hasOwnProperty.call(message, "appCode"))
                    writer.uint32(88).int32(message.appCode);
                if (message.appMsg != null && Object.hasOwnProperty.call(message, "appMsg"))
                    writer.uint32(98).string(message.appMsg);
                return writer;
            };

            AckCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.AckCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.code = reader.int32();
                            break;
                        }
                    case 2: {
                            message.reason = reader.string();
                            break;
                        }
                    case 3: {
                            message.mid = reader.string();
                            break;
                        }
                    case 4: {
                            message.cid = reader.string();
                            break;
                        }
                    case 5: {
                            message.t = $toNumber(reader.int64());
                            break;
                        }
                    case 6: {
                            message.uid = reader.string();
                            break;
                        }
                    case 7: {
                            message.fromts = $toNumber(reader.int64());
                            break;
                        }
                    case 8: {
                            message.tots = $toNumber(reader.int64());
                            break;
                        }
                    case 9: {
                            message.type = reader.string();
                            break;
                        }
                    case 10: {
                            if (!(message.ids && message.ids.length))
                                message.ids = [];
                            message.ids.push(reader.string());
                            break;
                        }
                    case 11: {
                            message.appCode = reader.int32();
                            break;
                        }
                    case 12: {
                            message.appMsg = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return AckCommand;
        })();

        messages2.UnreadCommand = (function() {

            function UnreadCommand(properties) {
                this.convs = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            UnreadCommand.prototype.convs = $util.emptyArray;
            UnreadCommand.prototype.notifTime = 0;

            UnreadCommand.create = function create(properties) {
                return new UnreadCommand(properties);
            };

            UnreadCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.convs != null && message.convs.length)
                    for (let i = 0; i < message.convs.length; ++i)
                        $root.push_server.messages2.UnreadTuple.encode(message.convs[i], writer.uint32(10).fork(), q + 1).ldelim();
                if (message.notifTime != null && Object.hasOwnProperty.call(message, "notifTime"))
                    writer.uint32(16).int64(message.notifTime);
                return writer;
            };

            UnreadCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.UnreadCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.convs && message.convs.length))
                                message.convs = [];
                            message.convs.push($root.push_server.messages2.UnreadTuple.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 2: {
                            message.notifTime = $toNumber(reader.int64());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return UnreadCommand;
        })();

        messages2.ConvCommand = (function() {

            function ConvCommand(properties) {
                this.m = [];
                this.maxReadTuples = [];
                this.cids = [];
                this.tempConvIds = [];
                this.allowedPids = [];
                this.failedPids = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ConvCommand.prototype.m = $util.emptyArray;
            ConvCommand.prototype.transient = false;
            ConvCommand.prototype.unique = false;
            ConvCommand.prototype.cid = "";
            ConvCommand.prototype.cdate = "";
            ConvCommand.prototype.initBy = "";
            ConvCommand.prototype.sort = "";
            ConvCommand.prototype.limit = 0;
            ConvCommand.prototype.skip = 0;
            ConvCommand.prototype.flag = 0;
            ConvCommand.prototype.count = 0;
            ConvCommand.prototype.udate = "";
            ConvCommand.prototype.t = 0;
            ConvCommand.prototype.n = "";
            ConvCommand.prototype.s = "";
            ConvCommand.prototype.statusSub = false;
            ConvCommand.prototype.statusPub = false;
            ConvCommand.prototype.statusTTL = 0;
            ConvCommand.prototype.uniqueId = "";
            ConvCommand.prototype.targetClientId = "";
            ConvCommand.prototype.maxReadTimestamp = 0;
            ConvCommand.prototype.maxAckTimestamp = 0;
            ConvCommand.prototype.queryAllMembers = false;
            ConvCommand.prototype.maxReadTuples = $util.emptyArray;
            ConvCommand.prototype.cids = $util.emptyArray;
            ConvCommand.prototype.info = null;
            ConvCommand.prototype.tempConv = false;
            ConvCommand.prototype.tempConvTTL = 0;
            ConvCommand.prototype.tempConvIds = $util.emptyArray;
            ConvCommand.prototype.allowedPids = $util.emptyArray;
            ConvCommand.prototype.failedPids = $util.emptyArray;
            ConvCommand.prototype.next = "";
            ConvCommand.prototype.results = null;
            ConvCommand.prototype.where = null;
            ConvCommand.prototype.attr = null;
            ConvCommand.prototype.attrModified = null;

            ConvCommand.create = function create(properties) {
                return new ConvCommand(properties);
            };

            ConvCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.m != null && message.m.length)
                    for (let i = 0; i < message.m.length; ++i)
                        writer.uint32(10).string(message.m[i]);
                if (message.transient != null && Object.hasOwnProperty.call(message, "transient"))
                    writer.uint32(16).bool(message.transient);
                if (message.unique != null && Object.hasOwnProperty.call(message, "unique"))
                    writer.uint32(24).bool(message.unique);
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(34).string(message.cid);
                if (message.cdate != null && Object.hasOwnProperty.call(message, "cdate"))
                    writer.uint32(42).string(message.cdate);
                if (message.initBy != null && Object.hasOwnProperty.call(message, "initBy"))
                    writer.uint32(50).string(message.initBy);
                if (message.sort != null && Object.hasOwnProperty.call(message, "sort"))
                    writer.uint32(58).string(message.sort);
                if (message.limit != null && Object.hasOwnProperty.call(message, "limit"))
                    writer.uint32(64).int32(message.limit);
                if (message.skip != null && Object.hasOwnProperty.call(message, "skip"))
                    writer.uint32(72).int32(message.skip);
                if (message.flag != null && Object.hasOwnProperty.call(message, "flag"))
                    writer.uint32(80).int32(message.flag);
                if (message.count != null && Object.hasOwnProperty.call(message, "count"))
                    writer.uint32(88).int32(message.count);
                if (message.udate != null && Object.hasOwnProperty.call(message, "udate"))
                    writer.uint32(98).string(message.udate);
                if (message.t != null && Object.hasOwnProperty.call(message, "t"))
                    writer.uint32(104).int64(message.t);
                if (message.n != null && Object.hasOwnProperty.call(message, "n"))
                    writer.uint32(114).string(message.n);
                if (message.s != null && Object.hasOwnProperty.call(message, "s"))
                    writer.uint32(122).string(message.s);
                if (message.statusSub != null && Object.hasOwnProperty.call(message, "statusSub"))
                    writer.uint32(128).bool(message.statusSub);
                if (message.statusPub != null && Object.hasOwnProperty.call(message, "statusPub"))
                    writer.uint32(136).bool(message.statusPub);
                if (message.statusTTL != null && Object.hasOwnProperty.call(message, "statusTTL"))
                    writer.uint32(144).int32(message.statusTTL);
                if (message.uniqueId != null && Object.hasOwnProperty.call(message, "uniqueId"))
                    writer.uint32(154).string(message.uniqueId);
                if (message.targetClientId != null && Object.hasOwnProperty.call(message, "targetClientId"))
                    writer.uint32(162).string(message.targetClientId);
                if (message.maxReadTimestamp != null && Object.hasOwnProperty.call(message, "maxReadTimestamp"))
                    writer.uint32(168).int64(message.maxReadTimestamp);
                if (message.maxAckTimestamp != null && Object.hasOwnProperty.call(message, "maxAckTimestamp"))
                    writer.uint32(176).int64(message.maxAckTimestamp);
                if (message.queryAllMembers != null && Object.hasOwnProperty.call(message, "queryAllMembers"))
                    writer.uint32(184).bool(message.queryAllMembers);
                if (message.maxReadTuples != null && message.maxReadTuples.length)
                    for (let i = 0; i < message.maxReadTuples.length; ++i)
                        $root.push_server.messages2.MaxReadTuple.encode(message.maxReadTuples[i], writer.uint32(194).fork(), q + 1).ldelim();
                if (message.cids != null && message.cids.length)
                    for (let i = 0; i < message.cids.length; ++i)
                        writer.uint32(202).string(message.cids[i]);
                if (message.info != null && Object.hasOwnProperty.call(message, "info"))
                    $root.push_server.messages2.ConvMemberInfo.encode(message.info, writer.uint32(210).fork(), q + 1).ldelim();
                if (message.tempConv != null && Object.hasOwnProperty.call(message, "tempConv"))
                    writer.uint32(216).bool(message.tempConv);
                if (message.tempConvTTL != null && Object.hasOwnProperty.call(message, "tempConvTTL"))
                    writer.uint32(224).int32(message.tempConvTTL);
                if (message.tempConvIds != null && message.tempConvIds.length)
                    for (let i = 0; i < message.tempConvIds.length; ++i)
                        writer.uint32(234).string(message.tempConvIds[i]);
                if (message.allowedPids != null && message.allowedPids.length)
                    for (let i = 0; i < message.allowedPids.length; ++i)
                        writer.uint32(242).string(message.allowedPids[i]);
                if (message.failedPids != null && message.failedPids.length)
                    for (let i = 0; i < message.failedPids.length; ++i)
                        $root.push_server.messages2.ErrorCommand.encode(message.failedPids[i], writer.uint32(250).fork(), q + 1).ldelim();
                if (message.next != null && Object.hasOwnProperty.call(message, "next"))
                    writer.uint32(322).string(message.next);
                if (message.results != null && Object.hasOwnProperty.call(message, "results"))
                    $root.push_server.messages2.JsonObjectMessage.encode(message.results, writer.uint32(802).fork(), q + 1).ldelim();
                if (message.where != null && Object.hasOwnProperty.call(message, "where"))
                    $root.push_server.messages2.JsonObjectMessage.encode(message.where, writer.uint32(810).fork(), q + 1).ldelim();
                if (message.attr != null && Object.hasOwnProperty.call(message, "attr"))
                    $root.push_server.messages2.JsonObjectMessage.encode(message.attr, writer.uint32(826).fork(), q + 1).ldelim();
                if (message.attrModified != null && Object.hasOwnProperty.call(message, "attrModified"))
                    $root.push_server.messages2.JsonObjectMessage.encode(message.attrModified, writer.uint32(834).fork(), q + 1).ldelim();
                return writer;
            };

            ConvCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.ConvCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.m && message.m.length))
                                message.m = [];
                            message.m.push(reader.string());
                            break;
                        }
                    case 2: {
                            message.transient = reader.bool();
                            break;
                        }
                    case 3: {
                            message.unique = reader.bool();
                            break;
                        }
                    case 4: {
                            message.cid = reader.string();
                            break;
                        }
                    case 5: {
                            message.cdate = reader.string();
                            break;
                        }
                    case 6: {
                            message.initBy = reader.string();
                            break;
                        }
                    case 7: {
                            message.sort = reader.string();
                            break;
                        }
                    case 8: {
                            message.limit = reader.int32();
                            break;
                        }
                    case 9: {
                            message.skip = reader.int32();
                            break;
                        }
                    case 10: {
                            message.flag = reader.int32();
                            break;
                        }
                    case 11: {
                            message.count = reader.int32();
                            break;
                        }
                    case 12: {
                            message.udate = reader.string();
                            break;
                        }
                    case 13: {
                            message.t = $toNumber(reader.int64());
                            break;
                        }
                    case 14: {
                            message.n = reader.string();
                            break;
                        }
                    case 15: {
                            message.s = reader.string();
                            break;
                        }
                    case 16: {
                            message.statusSub = reader.bool();
                            break;
                        }
                    case 17: {
                            message.statusPub = reader.bool();
                            break;
                        }
                    case 18: {
                            message.statusTTL = reader.int32();
                            break;
                        }
                    case 19: {
                            message.uniqueId = reader.string();
                            break;
                        }
                    case 20: {
                            message.targetClientId = reader.string();
                            break;
                        }
                    case 21: {
                            message.maxReadTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 22: {
                            message.maxAckTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 23: {
                            message.queryAllMembers = reader.bool();
                            break;
                        }
                    case 24: {
                            if (!(message.maxReadTuples && message.maxReadTuples.length))
                                message.maxReadTuples = [];
                            message.maxReadTuples.push($root.push_server.messages2.MaxReadTuple.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 25: {
                            if (!(message.cids && message.cids.length))
                                message.cids = [];
                            message.cids.push(reader.string());
                            break;
                        }
                    case 26: {
                            message.info = $root.push_server.messages2.ConvMemberInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 27: {
                            message.tempConv = reader.bool();
                            break;
                        }
                    case 28: {
                            message.tempConvTTL = reader.int32();
                            break;
                        }
                    case 29: {
                            if (!(message.tempConvIds && message.tempConvIds.length))
                                message.tempConvIds = [];
                            message.tempConvIds.push(reader.string());
                            break;
                        }
                    case 30: {
                            if (!(message.allowedPids && message.allowedPids.length))
                                message.allowedPids = [];
                            message.allowedPids.push(reader.string());
                            break;
                        }
                    case 31: {
                            if (!(message.failedPids && message.failedPids.length))
                                message.failedPids = [];
                            message.failedPids.push($root.push_server.messages2.ErrorCommand.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 40: {
                            message.next = reader.string();
                            break;
                        }
                    case 100: {
                            message.results = $root.push_server.messages2.JsonObjectMessage.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 101: {
                            message.where = $root.push_server.messages2.JsonObjectMessage.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 103: {
                            message.attr = $root.push_server.messages2.JsonObjectMessage.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 104: {
                            message.attrModified = $root.push_server.messages2.JsonObjectMessage.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return ConvCommand;
        })();

        messages2.RoomCommand = (function() {

            function RoomCommand(properties) {
                this.roomPeerIds = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            RoomCommand.prototype.roomId = "";
            RoomCommand.prototype.s = "";
            RoomCommand.prototype.t = 0;
            RoomCommand.prototype.n = "";
            RoomCommand.prototype.transient = false;
            RoomCommand.prototype.roomPeerIds = $util.emptyArray;
            RoomCommand.prototype.byPeerId = "";

            RoomCommand.create = function create(properties) {
                return new RoomCommand(properties);
            };

            RoomCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.roomId != null && Object.hasOwnProperty.call(message, "roomId"))
                    writer.uint32(10).string(message.roomId);
                if (message.s != null && Object.hasOwnProperty.call(message, "s"))
                    writer.uint32(18).string(message.s);
                if (message.t != null && Object.hasOwnProperty.call(message, "t"))
                    writer.uint32(24).int64(message.t);
                if (message.n != null && Object.hasOwnProperty.call(message, "n"))
                    writer.uint32(34).string(message.n);
                if (message.transient != null && Object.hasOwnProperty.call(message, "transient"))
                    writer.uint32(40).bool(message.transient);
                if (message.roomPeerIds != null && message.roomPeerIds.length)
                    for (let i = 0; i < message.roomPeerIds.length; ++i)
                        writer.uint32(50).string(message.roomPeerIds[i]);
                if (message.byPeerId != null && Object.hasOwnProperty.call(message, "byPeerId"))
                    writer.uint32(58).string(message.byPeerId);
                return writer;
            };

            RoomCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.RoomCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.roomId = reader.string();
                            break;
                        }
                    case 2: {
                            message.s = reader.string();
                            break;
                        }
                    case 3: {
                            message.t = $toNumber(reader.int64());
                            break;
                        }
                    case 4: {
                            message.n = reader.string();
                            break;
                        }
                    case 5: {
                            message.transient = reader.bool();
                            break;
                        }
                    case 6: {
                            if (!(message.roomPeerIds && message.roomPeerIds.length))
                                message.roomPeerIds = [];
                            message.roomPeerIds.push(reader.string());
                            break;
                        }
                    case 7: {
                            message.byPeerId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return RoomCommand;
        })();

        messages2.LogsCommand = (function() {

            function LogsCommand(properties) {
                this.logs = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            LogsCommand.prototype.cid = "";
            LogsCommand.prototype.l = 0;
            LogsCommand.prototype.limit = 0;
            LogsCommand.prototype.t = 0;
            LogsCommand.prototype.tt = 0;
            LogsCommand.prototype.tmid = "";
            LogsCommand.prototype.mid = "";
            LogsCommand.prototype.checksum = "";
            LogsCommand.prototype.stored = false;
            LogsCommand.prototype.direction = 1;
            LogsCommand.prototype.tIncluded = false;
            LogsCommand.prototype.ttIncluded = false;
            LogsCommand.prototype.lctype = 0;
            LogsCommand.prototype.logs = $util.emptyArray;

            LogsCommand.create = function create(properties) {
                return new LogsCommand(properties);
            };

            LogsCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(10).string(message.cid);
                if (message.l != null && Object.hasOwnProperty.call(message, "l"))
                    writer.uint32(16).int32(message.l);
                if (message.limit != null && Object.hasOwnProperty.call(message, "limit"))
                    writer.uint32(24).int32(message.limit);
                if (message.t != null && Object.hasOwnProperty.call(message, "t"))
                    writer.uint32(32).int64(message.t);
                if (message.tt != null && Object.hasOwnProperty.call(message, "tt"))
                    writer.uint32(40).int64(message.tt);
                if (message.tmid != null && Object.hasOwnProperty.call(message, "tmid"))
                    writer.uint32(50).string(message.tmid);
                if (message.mid != null && Object.hasOwnProperty.call(message, "mid"))
                    writer.uint32(58).string(message.mid);
                if (message.checksum != null && Object.hasOwnProperty.call(message, "checksum"))
                    writer.uint32(66).string(message.checksum);
                if (message.stored != null && Object.hasOwnProperty.call(message, "stored"))
                    writer.uint32(72).bool(message.stored);
                if (message.direction != null && Object.hasOwnProperty.call(message, "direction"))
                    writer.uint32(80).int32(message.direction);
                if (message.tIncluded != null && Object.hasOwnProperty.call(message, "tIncluded"))
                    writer.uint32(88).bool(message.tIncluded);
                if (message.ttIncluded != null && Object.hasOwnProperty.call(message, "ttIncluded"))
                    writer.uint32(96).bool(message.ttIncluded);
                if (message.lctype != null && Object.hasOwnProperty.call(message, "lctype"))
                    writer.uint32(104).int32(message.lctype);
                if (message.logs != null && message.logs.length)
                    for (let i = 0; i < message.logs.length; ++i)
                        $root.push_server.messages2.LogItem.encode(message.logs[i], writer.uint32(842).fork(), q + 1).ldelim();
                return writer;
            };

            LogsCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.LogsCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.cid = reader.string();
                            break;
                        }
                    case 2: {
                            message.l = reader.int32();
                            break;
                        }
                    case 3: {
                            message.limit = reader.int32();
                            break;
                        }
                    case 4: {
                            message.t = $toNumber(reader.int64());
                            break;
                        }
                    case 5: {
                            message.tt = $toNumber(reader.int64());
                            break;
                        }
                    case 6: {
                            message.tmid = reader.string();
                            break;
                        }
                    case 7: {
                            message.mid = reader.string();
                            break;
                        }
                    case 8: {
                            message.checksum = reader.string();
                            break;
                        }
                    case 9: {
                            message.stored = reader.bool();
                            break;
                        }
                    case 10: {
                            message.direction = reader.int32();
                            break;
                        }
                    case 11: {
                            message.tIncluded = reader.bool();
                            break;
                        }
                    case 12: {
                            message.ttIncluded = reader.bool();
                            break;
                        }
                    case 13: {
                            message.lctype = reader.int32();
                            break;
                        }
                    case 105: {
                            if (!(message.logs && message.logs.length))
                                message.logs = [];
                            message.logs.push($root.push_server.messages2.LogItem.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            LogsCommand.QueryDirection = (function() {
                const valuesById = {}, values = Object.create(valuesById);
                values[valuesById[1] = "OLD"] = 1;
                values[valuesById[2] = "NEW"] = 2;
                return values;
            })();

            return LogsCommand;
        })();

        messages2.RcpCommand = (function() {

            function RcpCommand(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            RcpCommand.prototype.id = "";
            RcpCommand.prototype.cid = "";
            RcpCommand.prototype.t = 0;
            RcpCommand.prototype.read = false;
            RcpCommand.prototype.from = "";

            RcpCommand.create = function create(properties) {
                return new RcpCommand(properties);
            };

            RcpCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    writer.uint32(10).string(message.id);
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(18).string(message.cid);
                if (message.t != null && Object.hasOwnProperty.call(message, "t"))
                    writer.uint32(24).int64(message.t);
                if (message.read != null && Object.hasOwnProperty.call(message, "read"))
                    writer.uint32(32).bool(message.read);
                if (message.from != null && Object.hasOwnProperty.call(message, "from"))
                    writer.uint32(42).string(message.from);
                return writer;
            };

            RcpCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.RcpCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.id = reader.string();
                            break;
                        }
                    case 2: {
                            message.cid = reader.string();
                            break;
                        }
                    case 3: {
                            message.t = $toNumber(reader.int64());
                            break;
                        }
                    case 4: {
                            message.read = reader.bool();
                            break;
                        }
                    case 5: {
                            message.from = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return RcpCommand;
        })();

        messages2.ReadTuple = (function() {

            function ReadTuple(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ReadTuple.prototype.cid = "";
            ReadTuple.prototype.timestamp = 0;
            ReadTuple.prototype.mid = "";

            ReadTuple.create = function create(properties) {
                return new ReadTuple(properties);
            };

            ReadTuple.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                writer.uint32(10).string(message.cid);
                if (message.timestamp != null && Object.hasOwnProperty.call(message, "timestamp"))
                    writer.uint32(16).int64(message.timestamp);
                if (message.mid != null && Object.hasOwnProperty.call(message, "mid"))
                    writer.uint32(26).string(message.mid);
                return writer;
            };

            ReadTuple.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.ReadTuple();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.cid = reader.string();
                            break;
                        }
                    case 2: {
                            message.timestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 3: {
                            message.mid = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                if (!Object.hasOwnProperty.call(message, "cid"))
                    throw $util.ProtocolError("missing required 'cid'", { instance: message });
                return message;
            };

            return ReadTuple;
        })();

        messages2.MaxReadTuple = (function() {

            function MaxReadTuple(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            MaxReadTuple.prototype.pid = "";
            MaxReadTuple.prototype.maxAckTimestamp = 0;
            MaxReadTuple.prototype.maxReadTimestamp = 0;

            MaxReadTuple.create = function create(properties) {
                return new MaxReadTuple(properties);
            };

            MaxReadTuple.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.pid != null && Object.hasOwnProperty.call(message, "pid"))
                    writer.uint32(10).string(message.pid);
                if (message.maxAckTimestamp != null && Object.hasOwnProperty.call(message, "maxAckTimestamp"))
                    writer.uint32(16).int64(message.maxAckTimestamp);
                if (message.maxReadTimestamp != null && Object.hasOwnProperty.call(message, "maxReadTimestamp"))
                    writer.uint32(24).int64(message.maxReadTimestamp);
                return writer;
            };

            MaxReadTuple.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.MaxReadTuple();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.pid = reader.string();
                            break;
                        }
                    case 2: {
                            message.maxAckTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 3: {
                            message.maxReadTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return MaxReadTuple;
        })();

        messages2.ReadCommand = (function() {

            function ReadCommand(properties) {
                this.cids = [];
                this.convs = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ReadCommand.prototype.cid = "";
            ReadCommand.prototype.cids = $util.emptyArray;
            ReadCommand.prototype.convs = $util.emptyArray;

            ReadCommand.create = function create(properties) {
                return new ReadCommand(properties);
            };

            ReadCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(10).string(message.cid);
                if (message.cids != null && message.cids.length)
                    for (let i = 0; i < message.cids.length; ++i)
                        writer.uint32(18).string(message.cids[i]);
                if (message.convs != null && message.convs.length)
                    for (let i = 0; i < message.convs.length; ++i)
                        $root.push_server.messages2.ReadTuple.encode(message.convs[i], writer.uint32(26).fork(), q + 1).ldelim();
                return writer;
            };

            ReadCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.ReadCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.cid = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.cids && message.cids.length))
                                message.cids = [];
                            message.cids.push(reader.string());
                            break;
                        }
                    case 3: {
                            if (!(message.convs && message.convs.length))
                                message.convs = [];
                            message.convs.push($root.push_server.messages2.ReadTuple.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return ReadCommand;
        })();

        messages2.PresenceCommand = (function() {

            function PresenceCommand(properties) {
                this.sessionPeerIds = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            PresenceCommand.prototype.status = 1;
            PresenceCommand.prototype.sessionPeerIds = $util.emptyArray;
            PresenceCommand.prototype.cid = "";

            PresenceCommand.create = function create(properties) {
                return new PresenceCommand(properties);
            };

            PresenceCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.status != null && Object.hasOwnProperty.call(message, "status"))
                    writer.uint32(8).int32(message.status);
                if (message.sessionPeerIds != null && message.sessionPeerIds.length)
                    for (let i = 0; i < message.sessionPeerIds.length; ++i)
                        writer.uint32(18).string(message.sessionPeerIds[i]);
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(26).string(message.cid);
                return writer;
            };

            PresenceCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.PresenceCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.status = reader.int32();
                            break;
                        }
                    case 2: {
                            if (!(message.sessionPeerIds && message.sessionPeerIds.length))
                                message.sessionPeerIds = [];
                            message.sessionPeerIds.push(reader.string());
                            break;
                        }
                    case 3: {
                            message.cid = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return PresenceCommand;
        })();

        messages2.ReportCommand = (function() {

            function ReportCommand(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ReportCommand.prototype.initiative = false;
            ReportCommand.prototype.type = "";
            ReportCommand.prototype.data = "";

            ReportCommand.create = function create(properties) {
                return new ReportCommand(properties);
            };

            ReportCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.initiative != null && Object.hasOwnProperty.call(message, "initiative"))
                    writer.uint32(8).bool(message.initiative);
                if (message.type != null && Object.hasOwnProperty.call(message, "type"))
                    writer.uint32(18).string(message.type);
                if (message.data != null && Object.hasOwnProperty.call(message, "data"))
                    writer.uint32(26).string(message.data);
                return writer;
            };

            ReportCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.ReportCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.initiative = reader.bool();
                            break;
                        }
                    case 2: {
                            message.type = reader.string();
                            break;
                        }
                    case 3: {
                            message.data = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return ReportCommand;
        })();

        messages2.PatchItem = (function() {

            function PatchItem(properties) {
                this.mentionPids = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            PatchItem.prototype.cid = "";
            PatchItem.prototype.mid = "";
            PatchItem.prototype.timestamp = 0;
            PatchItem.prototype.recall = false;
            PatchItem.prototype.data = "";
            PatchItem.prototype.patchTimestamp = 0;
            PatchItem.prototype.from = "";
            PatchItem.prototype.binaryMsg = $util.newBuffer([]);
            PatchItem.prototype.mentionAll = false;
            PatchItem.prototype.mentionPids = $util.emptyArray;
            PatchItem.prototype.patchCode = 0;
            PatchItem.prototype.patchReason = "";

            PatchItem.create = function create(properties) {
                return new PatchItem(properties);
            };

            PatchItem.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(10).string(message.cid);
                if (message.mid != null && Object.hasOwnProperty.call(message, "mid"))
                    writer.uint32(18).string(message.mid);
                if (message.timestamp != null && Object.hasOwnProperty.call(message, "timestamp"))
                    writer.uint32(24).int64(message.timestamp);
                if (message.recall != null && Object.hasOwnProperty.call(message, "recall"))
                    writer.uint32(32).bool(message.recall);
                if (message.data != null && Object.hasOwnProperty.call(message, "data"))
                    writer.uint32(42).string(message.data);
                if (message.patchTimestamp != null && Object.hasOwnProperty.call(message, "patchTimestamp"))
                    writer.uint32(48).int64(message.patchTimestamp);
                if (message.from != null && Object.hasOwnProperty.call(message, "from"))
                    writer.uint32(58).string(message.from);
                if (message.binaryMsg != null && Object.hasOwnProperty.call(message, "binaryMsg"))
                    writer.uint32(66).bytes(message.binaryMsg);
                if (message.mentionAll != null && Object.hasOwnProperty.call(message, "mentionAll"))
                    writer.uint32(72).bool(message.mentionAll);
                if (message.mentionPids != null && message.mentionPids.length)
                    for (let i = 0; i < message.mentionPids.length; ++i)
                        writer.uint32(82).string(message.mentionPids[i]);
                if (message.patchCode != null && Object.hasOwnProperty.call(message, "patchCode"))
                    writer.uint32(88).int64(message.patchCode);
                if (message.patchReason != null && Object.hasOwnProperty.call(message, "patchReason"))
                    writer.uint32(98).string(message.patchReason);
                return writer;
            };

            PatchItem.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.PatchItem();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.cid = reader.string();
                            break;
                        }
                    case 2: {
                            message.mid = reader.string();
                            break;
                        }
                    case 3: {
                            message.timestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 4: {
                            message.recall = reader.bool();
                            break;
                        }
                    case 5: {
                            message.data = reader.string();
                            break;
                        }
                    case 6: {
                            message.patchTimestamp = $toNumber(reader.int64());
                            break;
                        }
                    case 7: {
                            message.from = reader.string();
                            break;
                        }
                    case 8: {
                            message.binaryMsg = reader.bytes();
                            break;
                        }
                    case 9: {
                            message.mentionAll = reader.bool();
                            break;
                        }
                    case 10: {
                            if (!(message.mentionPids && message.mentionPids.length))
                                message.mentionPids = [];
                            message.mentionPids.push(reader.string());
                            break;
                        }
                    case 11: {
                            message.patchCode = $toNumber(reader.int64());
                            break;
                        }
                    case 12: {
                            message.patchReason = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return PatchItem;
        })();

        messages2.PatchCommand = (function() {

            function PatchCommand(properties) {
                this.patches = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            PatchCommand.prototype.patches = $util.emptyArray;
            PatchCommand.prototype.lastPatchTime = 0;

            PatchCommand.create = function create(properties) {
                return new PatchCommand(properties);
            };

            PatchCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.patches != null && message.patches.length)
                    for (let i = 0; i < message.patches.length; ++i)
                        $root.push_server.messages2.PatchItem.encode(message.patches[i], writer.uint32(10).fork(), q + 1).ldelim();
                if (message.lastPatchTime != null && Object.hasOwnProperty.call(message, "lastPatchTime"))
                    writer.uint32(16).int64(message.lastPatchTime);
                return writer;
            };

            PatchCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.PatchCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.patches && message.patches.length))
                                message.patches = [];
                            message.patches.push($root.push_server.messages2.PatchItem.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 2: {
                            message.lastPatchTime = $toNumber(reader.int64());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return PatchCommand;
        })();

        messages2.PubsubCommand = (function() {

            function PubsubCommand(properties) {
                this.cids = [];
                this.topics = [];
                this.subtopics = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            PubsubCommand.prototype.cid = "";
            PubsubCommand.prototype.cids = $util.emptyArray;
            PubsubCommand.prototype.topic = "";
            PubsubCommand.prototype.subtopic = "";
            PubsubCommand.prototype.topics = $util.emptyArray;
            PubsubCommand.prototype.subtopics = $util.emptyArray;
            PubsubCommand.prototype.results = null;

            PubsubCommand.create = function create(properties) {
                return new PubsubCommand(properties);
            };

            PubsubCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.cid != null && Object.hasOwnProperty.call(message, "cid"))
                    writer.uint32(10).string(message.cid);
                if (message.cids != null && message.cids.length)
                    for (let i = 0; i < message.cids.length; ++i)
                        writer.uint32(18).string(message.cids[i]);
                if (message.topic != null && Object.hasOwnProperty.call(message, "topic"))
                    writer.uint32(26).string(message.topic);
                if (message.subtopic != null && Object.hasOwnProperty.call(message, "subtopic"))
                    writer.uint32(34).string(message.subtopic);
                if (message.topics != null && message.topics.length)
                    for (let i = 0; i < message.topics.length; ++i)
                        writer.uint32(42).string(message.topics[i]);
                if (message.subtopics != null && message.subtopics.length)
                    for (let i = 0; i < message.subtopics.length; ++i)
                        writer.uint32(50).string(message.subtopics[i]);
                if (message.results != null && Object.hasOwnProperty.call(message, "results"))
                    $root.push_server.messages2.JsonObjectMessage.encode(message.results, writer.uint32(58).fork(), q + 1).ldelim();
                return writer;
            };

            PubsubCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.PubsubCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.cid = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.cids && message.cids.length))
                                message.cids = [];
                            message.cids.push(reader.string());
                            break;
                        }
                    case 3: {
                            message.topic = reader.string();
                            break;
                        }
                    case 4: {
                            message.subtopic = reader.string();
                            break;
                        }
                    case 5: {
                            if (!(message.topics && message.topics.length))
                                message.topics = [];
                            message.topics.push(reader.string());
                            break;
                        }
                    case 6: {
                            if (!(message.subtopics && message.subtopics.length))
                                message.subtopics = [];
                            message.subtopics.push(reader.string());
                            break;
                        }
                    case 7: {
                            message.results = $root.push_server.messages2.JsonObjectMessage.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return PubsubCommand;
        })();

        messages2.BlacklistCommand = (function() {

            function BlacklistCommand(properties) {
                this.toPids = [];
                this.toCids = [];
                this.blockedPids = [];
                this.blockedCids = [];
                this.allowedPids = [];
                this.failedPids = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            BlacklistCommand.prototype.srcCid = "";
            BlacklistCommand.prototype.toPids = $util.emptyArray;
            BlacklistCommand.prototype.srcPid = "";
            BlacklistCommand.prototype.toCids = $util.emptyArray;
            BlacklistCommand.prototype.limit = 0;
            BlacklistCommand.prototype.next = "";
            BlacklistCommand.prototype.blockedPids = $util.emptyArray;
            BlacklistCommand.prototype.blockedCids = $util.emptyArray;
            BlacklistCommand.prototype.allowedPids = $util.emptyArray;
            BlacklistCommand.prototype.failedPids = $util.emptyArray;
            BlacklistCommand.prototype.t = 0;
            BlacklistCommand.prototype.n = "";
            BlacklistCommand.prototype.s = "";

            BlacklistCommand.create = function create(properties) {
                return new BlacklistCommand(properties);
            };

            BlacklistCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.srcCid != null && Object.hasOwnProperty.call(message, "srcCid"))
                    writer.uint32(10).string(message.srcCid);
                if (message.toPids != null && message.toPids.length)
                    for (let i = 0; i < message.toPids.length; ++i)
                        writer.uint32(18).string(message.toPids[i]);
                if (message.srcPid != null && Object.hasOwnProperty.call(message, "srcPid"))
                    writer.uint32(26).string(message.srcPid);
                if (message.toCids != null && message.toCids.length)
                    for (let i = 0; i < message.toCids.length; ++i)
                        writer.uint32(34).string(message.toCids[i]);
                if (message.limit != null && Object.hasOwnProperty.call(message, "limit"))
                    writer.uint32(40).int32(message.limit);
                if (message.next != null && Object.hasOwnProperty.call(message, "next"))
                    writer.uint32(50).string(message.next);
                if (message.blockedPids != null && message.blockedPids.length)
                    for (let i = 0; i < message.blockedPids.length; ++i)
                        writer.uint32(66).string(message.blockedPids[i]);
                if (message.blockedCids != null && message.blockedCids.length)
                    for (let i = 0; i < message.blockedCids.length; ++i)
                        writer.uint32(74).string(message.blockedCids[i]);
                if (message.allowedPids != null && message.allowedPids.length)
                    for (let i = 0; i < message.allowedPids.length; ++i)
                        writer.uint32(82).string(message.allowedPids[i]);
                if (message.failedPids != null && message.failedPids.length)
                    for (let i = 0; i < message.failedPids.length; ++i)
                        $root.push_server.messages2.ErrorCommand.encode(message.failedPids[i], writer.uint32(90).fork(), q + 1).ldelim();
                if (message.t != null && Object.hasOwnProperty.call(message, "t"))
                    writer.uint32(96).int64(message.t);
                if (message.n != null && Object.hasOwnProperty.call(message, "n"))
                    writer.uint32(106).string(message.n);
                if (message.s != null && Object.hasOwnProperty.call(message, "s"))
                    writer.uint32(114).string(message.s);
                return writer;
            };

            BlacklistCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.BlacklistCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.srcCid = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.toPids && message.toPids.length))
                                message.toPids = [];
                            message.toPids.push(reader.string());
                            break;
                        }
                    case 3: {
                            message.srcPid = reader.string();
                            break;
                        }
                    case 4: {
                            if (!(message.toCids && message.toCids.length))
                                message.toCids = [];
                            message.toCids.push(reader.string());
                            break;
                        }
                    case 5: {
                            message.limit = reader.int32();
                            break;
                        }
                    case 6: {
                            message.next = reader.string();
                            break;
                        }
                    case 8: {
                            if (!(message.blockedPids && message.blockedPids.length))
                                message.blockedPids = [];
                            message.blockedPids.push(reader.string());
                            break;
                        }
                    case 9: {
                            if (!(message.blockedCids && message.blockedCids.length))
                                message.blockedCids = [];
                            message.blockedCids.push(reader.string());
                            break;
                        }
                    case 10: {
                            if (!(message.allowedPids && message.allowedPids.length))
                                message.allowedPids = [];
                            message.allowedPids.push(reader.string());
                            break;
                        }
                    case 11: {
                            if (!(message.failedPids && message.failedPids.length))
                                message.failedPids = [];
                            message.failedPids.push($root.push_server.messages2.ErrorCommand.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 12: {
                            message.t = $toNumber(reader.int64());
                            break;
                        }
                    case 13: {
                            message.n = reader.string();
                            break;
                        }
                    case 14: {
                            message.s = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return BlacklistCommand;
        })();

        messages2.GenericCommand = (function() {

            function GenericCommand(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            GenericCommand.prototype.cmd = 0;
            GenericCommand.prototype.op = 1;
            GenericCommand.prototype.appId = "";
            GenericCommand.prototype.peerId = "";
            GenericCommand.prototype.i = 0;
            GenericCommand.prototype.installationId = "";
            GenericCommand.prototype.priority = 0;
            GenericCommand.prototype.service = 0;
            GenericCommand.prototype.serverTs = 0;
            GenericCommand.prototype.dataMessage = null;
            GenericCommand.prototype.sessionMessage = null;
            GenericCommand.prototype.errorMessage = null;
            GenericCommand.prototype.directMessage = null;
            GenericCommand.prototype.ackMessage = null;
            GenericCommand.prototype.unreadMessage = null;
            GenericCommand.prototype.readMessage = null;
            GenericCommand.prototype.rcpMessage = null;
            GenericCommand.prototype.logsMessage = null;
            GenericCommand.prototype.convMessage = null;
            GenericCommand.prototype.roomMessage = null;
            GenericCommand.prototype.presenceMessage = null;
            GenericCommand.prototype.reportMessage = null;
            GenericCommand.prototype.patchMessage = null;
            GenericCommand.prototype.pubsubMessage = null;
            GenericCommand.prototype.blacklistMessage = null;

            GenericCommand.create = function create(properties) {
                return new GenericCommand(properties);
            };

            GenericCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.cmd != null && Object.hasOwnProperty.call(message, "cmd"))
                    writer.uint32(8).int32(message.cmd);
                if (message.op != null && Object.hasOwnProperty.call(message, "op"))
                    writer.uint32(16).int32(message.op);
                if (message.appId != null && Object.hasOwnProperty.call(message, "appId"))
                    writer.uint32(26).string(message.appId);
                if (message.peerId != null && Object.hasOwnProperty.call(message, "peerId"))
                    writer.uint32(34).string(message.peerId);
                if (message.i != null && Object.hasOwnProperty.call(message, "i"))
                    writer.uint32(40).int32(message.i);
                if (message.installationId != null && Object.hasOwnProperty.call(message, "installationId"))
                    writer.uint32(50).string(message.installationId);
                if (message.priority != null && Object.hasOwnProperty.call(message, "priority"))
                    writer.uint32(56).int32(message.priority);
                if (message.service != null && Object.hasOwnProperty.call(message, "service"))
                    writer.uint32(64).int32(message.service);
                if (message.serverTs != null && Object.hasOwnProperty.call(message, "serverTs"))
                    writer.uint32(72).int64(message.serverTs);
                if (message.dataMessage != null && Object.hasOwnProperty.call(message, "dataMessage"))
                    $root.push_server.messages2.DataCommand.encode(message.dataMessage, writer.uint32(810).fork(), q + 1).ldelim();
                if (message.sessionMessage != null && Object.hasOwnProperty.call(message, "sessionMessage"))
                    $root.push_server.messages2.SessionCommand.encode(message.sessionMessage, writer.uint32(818).fork(), q + 1).ldelim();
                if (message.errorMessage != null && Object.hasOwnProperty.call(message, "errorMessage"))
                    $root.push_server.messages2.ErrorCommand.encode(message.errorMessage, writer.uint32(826).fork(), q + 1).ldelim();
                if (message.directMessage != null && Object.hasOwnProperty.call(message, "directMessage"))
                    $root.push_server.messages2.DirectCommand.encode(message.directMessage, writer.uint32(834).fork(), q + 1).ldelim();
                if (message.ackMessage != null && Object.hasOwnProperty.call(message, "ackMessage"))
                    $root.push_server.messages2.AckCommand.encode(message.ackMessage, writer.uint32(842).fork(), q + 1).ldelim();
                if (message.unreadMessage != null && Object.hasOwnProperty.call(message, "unreadMessage"))
                    $root.push_server.messages2.UnreadCommand.encode(message.unreadMessage, writer.uint32(850).fork(), q + 1).ldelim();
                if (message.readMessage != null && Object.hasOwnProperty.call(message, "readMessage"))
                    $root.push_server.messages2.ReadCommand.encode(message.readMessage, writer.uint32(858).fork(), q + 1).ldelim();
                if (message.rcpMessage != null && Object.hasOwnProperty.call(message, "rcpMessage"))
                    $root.push_server.messages2.RcpCommand.encode(message.rcpMessage, writer.uint32(866).fork(), q + 1).ldelim();
                if (message.logsMessage != null && Object.hasOwnProperty.call(message, "logsMessage"))
                    $root.push_server.messages2.LogsCommand.encode(message.logsMessage, writer.uint32(874).fork(), q + 1).ldelim();
                if (message.convMessage != null && Object.hasOwnProperty.call(message, "convMessage"))
                    $root.push_server.messages2.ConvCommand.encode(message.convMessage, writer.uint32(882).fork(), q + 1).ldelim();
                if (message.roomMessage != null && Object.hasOwnProperty.call(message, "roomMessage"))
                    $root.push_server.messages2.RoomCommand.encode(message.roomMessage, writer.uint32(890).fork(), q + 1).ldelim();
                if (message.presenceMessage != null && Object.hasOwnProperty.call(message, "presenceMessage"))
                    $root.push_server.messages2.PresenceCommand.encode(message.presenceMessage, writer.uint32(898).fork(), q + 1).ldelim();
                if (message.reportMessage != null && Object.hasOwnProperty.call(message, "reportMessage"))
                    $root.push_server.messages2.ReportCommand.encode(message.reportMessage, writer.uint32(906).fork(), q + 1).ldelim();
                if (message.patchMessage != null && Object.hasOwnProperty.call(message, "patchMessage"))
                    $root.push_server.messages2.PatchCommand.encode(message.patchMessage, writer.uint32(914).fork(), q + 1).ldelim();
                if (message.pubsubMessage != null && Object.hasOwnProperty.call(message, "pubsubMessage"))
                    $root.push_server.messages2.PubsubCommand.encode(message.pubsubMessage, writer.uint32(922).fork(), q + 1).ldelim();
                if (message.blacklistMessage != null && Object.hasOwnProperty.call(message, "blacklistMessage"))
                    $root.push_server.messages2.BlacklistCommand.encode(message.blacklistMessage, writer.uint32(930).fork(), q + 1).ldelim();
                return writer;
            };

            GenericCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.push_server.messages2.GenericCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.cmd = reader.int32();
                            break;
                        }
                    case 2: {
                            message.op = reader.int32();
                            break;
                        }
                    case 3: {
                            message.appId = reader.string();
                            break;
                        }
                    case 4: {
                            message.peerId = reader.string();
                            break;
                        }
                    case 5: {
                            message.i = reader.int32();
                            break;
                        }
                    case 6: {
                            message.installationId = reader.string();
                            break;
                        }
                    case 7: {
                            message.priority = reader.int32();
                            break;
                        }
                    case 8: {
                            message.service = reader.int32();
                            break;
                        }
                    case 9: {
                            message.serverTs = $toNumber(reader.int64());
                            break;
                        }
                    case 101: {
                            message.dataMessage = $root.push_server.messages2.DataCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 102: {
                            message.sessionMessage = $root.push_server.messages2.SessionCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 103: {
                            message.errorMessage = $root.push_server.messages2.ErrorCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 104: {
                            message.directMessage = $root.push_server.messages2.DirectCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 105: {
                            message.ackMessage = $root.push_server.messages2.AckCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 106: {
                            message.unreadMessage = $root.push_server.messages2.UnreadCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 107: {
                            message.readMessage = $root.push_server.messages2.ReadCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 108: {
                            message.rcpMessage = $root.push_server.messages2.RcpCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 109: {
                            message.logsMessage = $root.push_server.messages2.LogsCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 110: {
                            message.convMessage = $root.push_server.messages2.ConvCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 111: {
                            message.roomMessage = $root.push_server.messages2.RoomCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 112: {
                            message.presenceMessage = $root.push_server.messages2.PresenceCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 113: {
                            message.reportMessage = $root.push_server.messages2.ReportCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 114: {
                            message.patchMessage = $root.push_server.messages2.PatchCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 115: {
                            message.pubsubMessage = $root.push_server.messages2.PubsubCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 116: {
                            message.blacklistMessage = $root.push_server.messages2.BlacklistCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return GenericCommand;
        })();

        return messages2;
    })();

    return push_server;
})();

export { $root as default };
