import type * as $protobuf from "protobufjs";
export namespace push_server {

    namespace messages2 {

        enum CommandType {
            session = 0,
            conv = 1,
            direct = 2,
            ack = 3,
            rcp = 4,
            unread = 5,
            logs = 6,
            error = 7,
            login = 8,
            data = 9,
            room = 10,
            read = 11,
            presence = 12,
            report = 13,
            echo = 14,
            loggedin = 15,
            logout = 16,
            loggedout = 17,
            patch = 18,
            pubsub = 19,
            blacklist = 20,
            goaway = 21
        }

        enum OpType {
            open = 1,
            add = 2,
            remove = 3,
            close = 4,
            opened = 5,
            closed = 6,
            query = 7,
            query_result = 8,
            conflict = 9,
            added = 10,
            removed = 11,
            refresh = 12,
            refreshed = 13,
            start = 30,
            started = 31,
            joined = 32,
            members_joined = 33,
            left = 39,
            members_left = 40,
            results = 42,
            count = 43,
            result = 44,
            update = 45,
            updated = 46,
            mute = 47,
            unmute = 48,
            status = 49,
            members = 50,
            max_read = 51,
            is_member = 52,
            member_info_update = 53,
            member_info_updated = 54,
            member_info_changed = 55,
            join = 80,
            invite = 81,
            leave = 82,
            kick = 83,
            reject = 84,
            invited = 85,
            kicked = 86,
            upload = 100,
            uploaded = 101,
            subscribe = 120,
            subscribed = 121,
            unsubscribe = 122,
            unsubscribed = 123,
            is_subscribed = 124,
            modify = 150,
            modified = 151,
            block = 170,
            unblock = 171,
            blocked = 172,
            unblocked = 173,
            members_blocked = 174,
            members_unblocked = 175,
            check_block = 176,
            check_result = 177,
            add_shutup = 180,
            remove_shutup = 181,
            query_shutup = 182,
            shutup_added = 183,
            shutup_removed = 184,
            shutup_result = 185,
            shutuped = 186,
            unshutuped = 187,
            members_shutuped = 188,
            members_unshutuped = 189,
            check_shutup = 190
        }

        enum StatusType {
            on = 1,
            off = 2
        }

        interface IJsonObjectMessage {
            data: string;
        }

        class JsonObjectMessage implements IJsonObjectMessage {
            constructor(properties?: push_server.messages2.IJsonObjectMessage);
            public data: string;
            public static create(properties?: push_server.messages2.IJsonObjectMessage): push_server.messages2.JsonObjectMessage;
            public static encode(message: push_server.messages2.IJsonObjectMessage, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.JsonObjectMessage;
        }

        interface IUnreadTuple {
            cid: string;
            unread: number;
            mid?: (string|null);
            timestamp?: (number|null);
            from?: (string|null);
            data?: (string|null);
            patchTimestamp?: (number|null);
            mentioned?: (boolean|null);
            binaryMsg?: (Uint8Array|null);
            convType?: (number|null);
        }

        class UnreadTuple implements IUnreadTuple {
            constructor(properties?: push_server.messages2.IUnreadTuple);
            public cid: string;
            public unread: number;
            public mid: string;
            public timestamp: number;
            public from: string;
            public data: string;
            public patchTimestamp: number;
            public mentioned: boolean;
            public binaryMsg: Uint8Array;
            public convType: number;
            public static create(properties?: push_server.messages2.IUnreadTuple): push_server.messages2.UnreadTuple;
            public static encode(message: push_server.messages2.IUnreadTuple, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.UnreadTuple;
        }

        interface ILogItem {
            from?: (string|null);
            data?: (string|null);
            timestamp?: (number|null);
            msgId?: (string|null);
            ackAt?: (number|null);
            readAt?: (number|null);
            patchTimestamp?: (number|null);
            mentionAll?: (boolean|null);
            mentionPids?: (string[]|null);
            bin?: (boolean|null);
            convType?: (number|null);
        }

        class LogItem implements ILogItem {
            constructor(properties?: push_server.messages2.ILogItem);
            public from: string;
            public data: string;
            public timestamp: number;
            public msgId: string;
            public ackAt: number;
            public readAt: number;
            public patchTimestamp: number;
            public mentionAll: boolean;
            public mentionPids: string[];
            public bin: boolean;
            public convType: number;
            public static create(properties?: push_server.messages2.ILogItem): push_server.messages2.LogItem;
            public static encode(message: push_server.messages2.ILogItem, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.LogItem;
        }

        interface IConvMemberInfo {
            pid?: (string|null);
            role?: (string|null);
            infoId?: (string|null);
        }

        class ConvMemberInfo implements IConvMemberInfo {
            constructor(properties?: push_server.messages2.IConvMemberInfo);
            public pid: string;
            public role: string;
            public infoId: string;
            public static create(properties?: push_server.messages2.IConvMemberInfo): push_server.messages2.ConvMemberInfo;
            public static encode(message: push_server.messages2.IConvMemberInfo, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.ConvMemberInfo;
        }

        interface IDataCommand {
            ids?: (string[]|null);
            msg?: (push_server.messages2.IJsonObjectMessage[]|null);
            offline?: (boolean|null);
        }

        class DataCommand implements IDataCommand {
            constructor(properties?: push_server.messages2.IDataCommand);
            public ids: string[];
            public msg: push_server.messages2.IJsonObjectMessage[];
            public offline: boolean;
            public static create(properties?: push_server.messages2.IDataCommand): push_server.messages2.DataCommand;
            public static encode(message: push_server.messages2.IDataCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.DataCommand;
        }

        interface ISessionCommand {
            t?: (number|null);
            n?: (string|null);
            s?: (string|null);
            ua?: (string|null);
            r?: (boolean|null);
            tag?: (string|null);
            deviceId?: (string|null);
            sessionPeerIds?: (string[]|null);
            onlineSessionPeerIds?: (string[]|null);
            st?: (string|null);
            stTtl?: (number|null);
            code?: (number|null);
            reason?: (string|null);
            deviceToken?: (string|null);
            sp?: (boolean|null);
            detail?: (string|null);
            lastUnreadNotifTime?: (number|null);
            lastPatchTime?: (number|null);
            configBitmap?: (number|null);
        }

        class SessionCommand implements ISessionCommand {
            constructor(properties?: push_server.messages2.ISessionCommand);
            public t: number;
            public n: string;
            public s: string;
            public ua: string;
            public r: boolean;
            public tag: string;
            public deviceId: string;
            public sessionPeerIds: string[];
            public onlineSessionPeerIds: string[];
            public st: string;
            public stTtl: number;
            public code: number;
            public reason: string;
            public deviceToken: string;
            public sp: boolean;
            public detail: string;
            public lastUnreadNotifTime: number;
            public lastPatchTime: number;
            public configBitmap: number;
            public static create(properties?: push_server.messages2.ISessionCommand): push_server.messages2.SessionCommand;
            public static encode(message: push_server.messages2.ISessionCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.SessionCommand;
        }

        interface IErrorCommand {
            code: number;
            reason: string;
            appCode?: (number|null);
            detail?: (string|null);
            pids?: (string[]|null);
            appMsg?: (string|null);
        }

        class ErrorCommand implements IErrorCommand {
            constructor(properties?: push_server.messages2.IErrorCommand);
            public code: number;
            public reason: string;
            public appCode: number;
            public detail: string;
            public pids: string[];
            public appMsg: string;
            public static create(properties?: push_server.messages2.IErrorCommand): push_server.messages2.ErrorCommand;
            public static encode(message: push_server.messages2.IErrorCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.ErrorCommand;
        }

        interface IDirectCommand {
            msg?: (string|null);
            uid?: (string|null);
            fromPeerId?: (string|null);
            timestamp?: (number|null);
            offline?: (boolean|null);
            hasMore?: (boolean|null);
            toPeerIds?: (string[]|null);
            r?: (boolean|null);
            cid?: (string|null);
            id?: (string|null);
            transient?: (boolean|null);
            dt?: (string|null);
            roomId?: (string|null);
            pushData?: (string|null);
            will?: (boolean|null);
            patchTimestamp?: (number|null);
            binaryMsg?: (Uint8Array|null);
            mentionPids?: (string[]|null);
            mentionAll?: (boolean|null);
            convType?: (number|null);
        }

        class DirectCommand implements IDirectCommand {
            constructor(properties?: push_server.messages2.IDirectCommand);
            public msg: string;
            public uid: string;
            public fromPeerId: string;
            public timestamp: number;
            public offline: boolean;
            public hasMore: boolean;
            public toPeerIds: string[];
            public r: boolean;
            public cid: string;
            public id: string;
            public transient: boolean;
            public dt: string;
            public roomId: string;
            public pushData: string;
            public will: boolean;
            public patchTimestamp: number;
            public binaryMsg: Uint8Array;
            public mentionPids: string[];
            public mentionAll: boolean;
            public convType: number;
            public static create(properties?: push_server.messages2.IDirectCommand): push_server.messages2.DirectCommand;
            public static encode(message: push_server.messages2.IDirectCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.DirectCommand;
        }

        interface IAckCommand {
            code?: (number|null);
            reason?: (string|null);
            mid?: (string|null);
            cid?: (string|null);
            t?: (number|null);
            uid?: (string|null);
            fromts?: (number|null);
            tots?: (number|null);
            type?: (string|null);
            ids?: (string[]|null);
            appCode?: (number|null);
            appMsg?: (string|null);
        }

        class AckCommand implements IAckCommand {
            constructor(properties?: push_server.messages2.IAckCommand);
            public code: number;
            public reason: string;
            public mid: string;
            public cid: string;
            public t: number;
            public uid: string;
            public fromts: number;
            public tots: number;
            public type: string;
            public ids: string[];
            public appCode: number;
            public appMsg: string;
            public static create(properties?: push_server.messages2.IAckCommand): push_server.messages2.AckCommand;
            public static encode(message: push_server.messages2.IAckCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.AckCommand;
        }

        interface IUnreadCommand {
            convs?: (push_server.messages2.IUnreadTuple[]|null);
            notifTime?: (number|null);
        }

        class UnreadCommand implements IUnreadCommand {
            constructor(properties?: push_server.messages2.IUnreadCommand);
            public convs: push_server.messages2.IUnreadTuple[];
            public notifTime: number;
            public static create(properties?: push_server.messages2.IUnreadCommand): push_server.messages2.UnreadCommand;
            public static encode(message: push_server.messages2.IUnreadCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.UnreadCommand;
        }

        interface IConvCommand {
            m?: (string[]|null);
            transient?: (boolean|null);
            unique?: (boolean|null);
            cid?: (string|null);
            cdate?: (string|null);
            initBy?: (string|null);
            sort?: (string|null);
            limit?: (number|null);
            skip?: (number|null);
            flag?: (number|null);
            count?: (number|null);
            udate?: (string|null);
            t?: (number|null);
            n?: (string|null);
            s?: (string|null);
            statusSub?: (boolean|null);
            statusPub?: (boolean|null);
            statusTTL?: (number|null);
            uniqueId?: (string|null);
            targetClientId?: (string|null);
            maxReadTimestamp?: (number|null);
            maxAckTimestamp?: (number|null);
            queryAllMembers?: (boolean|null);
            maxReadTuples?: (push_server.messages2.IMaxReadTuple[]|null);
            cids?: (string[]|null);
            info?: (push_server.messages2.IConvMemberInfo|null);
            tempConv?: (boolean|null);
            tempConvTTL?: (number|null);
            tempConvIds?: (string[]|null);
            allowedPids?: (string[]|null);
            failedPids?: (push_server.messages2.IErrorCommand[]|null);
            next?: (string|null);
            results?: (push_server.messages2.IJsonObjectMessage|null);
            where?: (push_server.messages2.IJsonObjectMessage|null);
            attr?: (push_server.messages2.IJsonObjectMessage|null);
            attrModified?: (push_server.messages2.IJsonObjectMessage|null);
        }

        class ConvCommand implements IConvCommand {
            constructor(properties?: push_server.messages2.IConvCommand);
            public m: string[];
            public transient: boolean;
            public unique: boolean;
            public cid: string;
            public cdate: string;
            public initBy: string;
            public sort: string;
            public limit: number;
            public skip: number;
            public flag: number;
            public count: number;
            public udate: string;
            public t: number;
            public n: string;
            public s: string;
            public statusSub: boolean;
            public statusPub: boolean;
            public statusTTL: number;
            public uniqueId: string;
            public targetClientId: string;
            public maxReadTimestamp: number;
            public maxAckTimestamp: number;
            public queryAllMembers: boolean;
            public maxReadTuples: push_server.messages2.IMaxReadTuple[];
            public cids: string[];
            public info?: (push_server.messages2.IConvMemberInfo|null);
            public tempConv: boolean;
            public tempConvTTL: number;
            public tempConvIds: string[];
            public allowedPids: string[];
            public failedPids: push_server.messages2.IErrorCommand[];
            public next: string;
            public results?: (push_server.messages2.IJsonObjectMessage|null);
            public where?: (push_server.messages2.IJsonObjectMessage|null);
            public attr?: (push_server.messages2.IJsonObjectMessage|null);
            public attrModified?: (push_server.messages2.IJsonObjectMessage|null);
            public static create(properties?: push_server.messages2.IConvCommand): push_server.messages2.ConvCommand;
            public static encode(message: push_server.messages2.IConvCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.ConvCommand;
        }

        interface IRoomCommand {
            roomId?: (string|null);
            s?: (string|null);
            t?: (number|null);
            n?: (string|null);
            transient?: (boolean|null);
            roomPeerIds?: (string[]|null);
            byPeerId?: (string|null);
        }

        class RoomCommand implements IRoomCommand {
            constructor(properties?: push_server.messages2.IRoomCommand);
            public roomId: string;
            public s: string;
            public t: number;
            public n: string;
            public transient: boolean;
            public roomPeerIds: string[];
            public byPeerId: string;
            public static create(properties?: push_server.messages2.IRoomCommand): push_server.messages2.RoomCommand;
            public static encode(message: push_server.messages2.IRoomCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.RoomCommand;
        }

        interface ILogsCommand {
            cid?: (string|null);
            l?: (number|null);
            limit?: (number|null);
            t?: (number|null);
            tt?: (number|null);
            tmid?: (string|null);
            mid?: (string|null);
            checksum?: (string|null);
            stored?: (boolean|null);
            direction?: (push_server.messages2.LogsCommand.QueryDirection|null);
            tIncluded?: (boolean|null);
            ttIncluded?: (boolean|null);
            lctype?: (number|null);
            logs?: (push_server.messages2.ILogItem[]|null);
        }

        class LogsCommand implements ILogsCommand {
            constructor(properties?: push_server.messages2.ILogsCommand);
            public cid: string;
            public l: number;
            public limit: number;
            public t: number;
            public tt: number;
            public tmid: string;
            public mid: string;
            public checksum: string;
            public stored: boolean;
            public direction: push_server.messages2.LogsCommand.QueryDirection;
            public tIncluded: boolean;
            public ttIncluded: boolean;
            public lctype: number;
            public logs: push_server.messages2.ILogItem[];
            public static create(properties?: push_server.messages2.ILogsCommand): push_server.messages2.LogsCommand;
            public static encode(message: push_server.messages2.ILogsCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.LogsCommand;
        }

        namespace LogsCommand {

            enum QueryDirection {
                OLD = 1,
                NEW = 2
            }
        }

        interface IRcpCommand {
            id?: (string|null);
            cid?: (string|null);
            t?: (number|null);
            read?: (boolean|null);
            from?: (string|null);
        }

        class RcpCommand implements IRcpCommand {
            constructor(properties?: push_server.messages2.IRcpCommand);
            public id: string;
            public cid: string;
            public t: number;
            public read: boolean;
            public from: string;
            public static create(properties?: push_server.messages2.IRcpCommand): push_server.messages2.RcpCommand;
            public static encode(message: push_server.messages2.IRcpCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.RcpCommand;
        }

        interface IReadTuple {
            cid: string;
            timestamp?: (number|null);
            mid?: (string|null);
        }

        class ReadTuple implements IReadTuple {
            constructor(properties?: push_server.messages2.IReadTuple);
            public cid: string;
            public timestamp: number;
            public mid: string;
            public static create(properties?: push_server.messages2.IReadTuple): push_server.messages2.ReadTuple;
            public static encode(message: push_server.messages2.IReadTuple, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.ReadTuple;
        }

        interface IMaxReadTuple {
            pid?: (string|null);
            maxAckTimestamp?: (number|null);
            maxReadTimestamp?: (number|null);
        }

        class MaxReadTuple implements IMaxReadTuple {
            constructor(properties?: push_server.messages2.IMaxReadTuple);
            public pid: string;
            public maxAckTimestamp: number;
            public maxReadTimestamp: number;
            public static create(properties?: push_server.messages2.IMaxReadTuple): push_server.messages2.MaxReadTuple;
            public static encode(message: push_server.messages2.IMaxReadTuple, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.MaxReadTuple;
        }

        interface IReadCommand {
            cid?: (string|null);
            cids?: (string[]|null);
            convs?: (push_server.messages2.IReadTuple[]|null);
        }

        class ReadCommand implements IReadCommand {
            constructor(properties?: push_server.messages2.IReadCommand);
            public cid: string;
            public cids: string[];
            public convs: push_server.messages2.IReadTuple[];
            public static create(properties?: push_server.messages2.IReadCommand): push_server.messages2.ReadCommand;
            public static encode(message: push_server.messages2.IReadCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.ReadCommand;
        }

        interface IPresenceCommand {
            status?: (push_server.messages2.StatusType|null);
            sessionPeerIds?: (string[]|null);
            cid?: (string|null);
        }

        class PresenceCommand implements IPresenceCommand {
            constructor(properties?: push_server.messages2.IPresenceCommand);
            public status: push_server.messages2.StatusType;
            public sessionPeerIds: string[];
            public cid: string;
            public static create(properties?: push_server.messages2.IPresenceCommand): push_server.messages2.PresenceCommand;
            public static encode(message: push_server.messages2.IPresenceCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.PresenceCommand;
        }

        interface IReportCommand {
            initiative?: (boolean|null);
            type?: (string|null);
            data?: (string|null);
        }

        class ReportCommand implements IReportCommand {
            constructor(properties?: push_server.messages2.IReportCommand);
            public initiative: boolean;
            public type: string;
            public data: string;
            public static create(properties?: push_server.messages2.IReportCommand): push_server.messages2.ReportCommand;
            public static encode(message: push_server.messages2.IReportCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.ReportCommand;
        }

        interface IPatchItem {
            cid?: (string|null);
            mid?: (string|null);
            timestamp?: (number|null);
            recall?: (boolean|null);
            data?: (string|null);
            patchTimestamp?: (number|null);
            from?: (string|null);
            binaryMsg?: (Uint8Array|null);
            mentionAll?: (boolean|null);
            mentionPids?: (string[]|null);
            patchCode?: (number|null);
            patchReason?: (string|null);
        }

        class PatchItem implements IPatchItem {
            constructor(properties?: push_server.messages2.IPatchItem);
            public cid: string;
            public mid: string;
            public timestamp: number;
            public recall: boolean;
            public data: string;
            public patchTimestamp: number;
            public from: string;
            public binaryMsg: Uint8Array;
            public mentionAll: boolean;
            public mentionPids: string[];
            public patchCode: number;
            public patchReason: string;
            public static create(properties?: push_server.messages2.IPatchItem): push_server.messages2.PatchItem;
            public static encode(message: push_server.messages2.IPatchItem, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.PatchItem;
        }

        interface IPatchCommand {
            patches?: (push_server.messages2.IPatchItem[]|null);
            lastPatchTime?: (number|null);
        }

        class PatchCommand implements IPatchCommand {
            constructor(properties?: push_server.messages2.IPatchCommand);
            public patches: push_server.messages2.IPatchItem[];
            public lastPatchTime: number;
            public static create(properties?: push_server.messages2.IPatchCommand): push_server.messages2.PatchCommand;
            public static encode(message: push_server.messages2.IPatchCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.PatchCommand;
        }

        interface IPubsubCommand {
            cid?: (string|null);
            cids?: (string[]|null);
            topic?: (string|null);
            subtopic?: (string|null);
            topics?: (string[]|null);
            subtopics?: (string[]|null);
            results?: (push_server.messages2.IJsonObjectMessage|null);
        }

        class PubsubCommand implements IPubsubCommand {
            constructor(properties?: push_server.messages2.IPubsubCommand);
            public cid: string;
            public cids: string[];
            public topic: string;
            public subtopic: string;
            public topics: string[];
            public subtopics: string[];
            public results?: (push_server.messages2.IJsonObjectMessage|null);
            public static create(properties?: push_server.messages2.IPubsubCommand): push_server.messages2.PubsubCommand;
            public static encode(message: push_server.messages2.IPubsubCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.PubsubCommand;
        }

        interface IBlacklistCommand {
            srcCid?: (string|null);
            toPids?: (string[]|null);
            srcPid?: (string|null);
            toCids?: (string[]|null);
            limit?: (number|null);
            next?: (string|null);
            blockedPids?: (string[]|null);
            blockedCids?: (string[]|null);
            allowedPids?: (string[]|null);
            failedPids?: (push_server.messages2.IErrorCommand[]|null);
            t?: (number|null);
            n?: (string|null);
            s?: (string|null);
        }

        class BlacklistCommand implements IBlacklistCommand {
            constructor(properties?: push_server.messages2.IBlacklistCommand);
            public srcCid: string;
            public toPids: string[];
            public srcPid: string;
            public toCids: string[];
            public limit: number;
            public next: string;
            public blockedPids: string[];
            public blockedCids: string[];
            public allowedPids: string[];
            public failedPids: push_server.messages2.IErrorCommand[];
            public t: number;
            public n: string;
            public s: string;
            public static create(properties?: push_server.messages2.IBlacklistCommand): push_server.messages2.BlacklistCommand;
            public static encode(message: push_server.messages2.IBlacklistCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.BlacklistCommand;
        }

        interface IGenericCommand {
            cmd?: (push_server.messages2.CommandType|null);
            op?: (push_server.messages2.OpType|null);
            appId?: (string|null);
            peerId?: (string|null);
            i?: (number|null);
            installationId?: (string|null);
            priority?: (number|null);
            service?: (number|null);
            serverTs?: (number|null);
            dataMessage?: (push_server.messages2.IDataCommand|null);
            sessionMessage?: (push_server.messages2.ISessionCommand|null);
            errorMessage?: (push_server.messages2.IErrorCommand|null);
            directMessage?: (push_server.messages2.IDirectCommand|null);
            ackMessage?: (push_server.messages2.IAckCommand|null);
            unreadMessage?: (push_server.messages2.IUnreadCommand|null);
            readMessage?: (push_server.messages2.IReadCommand|null);
            rcpMessage?: (push_server.messages2.IRcpCommand|null);
            logsMessage?: (push_server.messages2.ILogsCommand|null);
            convMessage?: (push_server.messages2.IConvCommand|null);
            roomMessage?: (push_server.messages2.IRoomCommand|null);
            presenceMessage?: (push_server.messages2.IPresenceCommand|null);
            reportMessage?: (push_server.messages2.IReportCommand|null);
            patchMessage?: (push_server.messages2.IPatchCommand|null);
            pubsubMessage?: (push_server.messages2.IPubsubCommand|null);
            blacklistMessage?: (push_server.messages2.IBlacklistCommand|null);
        }

        class GenericCommand implements IGenericCommand {
            constructor(properties?: push_server.messages2.IGenericCommand);
            public cmd: push_server.messages2.CommandType;
            public op: push_server.messages2.OpType;
            public appId: string;
            public peerId: string;
            public i: number;
            public installationId: string;
            public priority: number;
            public service: number;
            public serverTs: number;
            public dataMessage?: (push_server.messages2.IDataCommand|null);
            public sessionMessage?: (push_server.messages2.ISessionCommand|null);
            public errorMessage?: (push_server.messages2.IErrorCommand|null);
            public directMessage?: (push_server.messages2.IDirectCommand|null);
            public ackMessage?: (push_server.messages2.IAckCommand|null);
            public unreadMessage?: (push_server.messages2.IUnreadCommand|null);
            public readMessage?: (push_server.messages2.IReadCommand|null);
            public rcpMessage?: (push_server.messages2.IRcpCommand|null);
            public logsMessage?: (push_server.messages2.ILogsCommand|null);
            public convMessage?: (push_server.messages2.IConvCommand|null);
            public roomMessage?: (push_server.messages2.IRoomCommand|null);
            public presenceMessage?: (push_server.messages2.IPresenceCommand|null);
            public reportMessage?: (push_server.messages2.IReportCommand|null);
            public patchMessage?: (push_server.messages2.IPatchCommand|null);
            public pubsubMessage?: (push_server.messages2.IPubsubCommand|null);
            public blacklistMessage?: (push_server.messages2.IBlacklistCommand|null);
            public static create(properties?: push_server.messages2.IGenericCommand): push_server.messages2.GenericCommand;
            public static encode(message: push_server.messages2.IGenericCommand, writer?: $protobuf.Writer): $protobuf.Writer;
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): push_server.messages2.GenericCommand;
        }
    }
}
