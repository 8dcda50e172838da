package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCatalogTest {
    /** nDPI's category names (ndpi_protocol_category_t, 4.x spelling). */
    static final Set<String> NDPI_CATEGORIES = Set.of("Unspecified", "Media", "VPN", "Email", "DataTransfer", "Web",
            "SocialNetwork", "Download", "Game", "Chat", "VoIP", "Database", "RemoteAccess", "Cloud", "Network",
            "Collaborative", "RPC", "Streaming", "System", "SoftwareUpdate", "Music", "Video", "Shopping",
            "Productivity", "FileSharing", "ConnCheck", "IoT-Scada", "VirtAssistant", "Cybersecurity",
            "AdultContent", "Mining", "Malware", "Advertisement", "Banned_Site", "Site_Unavailable",
            "Allowed_Site", "Antimalware", "Crypto_Currency", "Gambling", "Health");

    /** The nDPI application names the bundled rules may use (nDPI 4.x protocol list). */
    static final Set<String> NDPI_APPLICATIONS = Set.of("Google", "Mumble", "GoogleServices", "GoogleMaps", "GoogleDrive",
            "GoogleDocs", "GMail", "PlayStore", "GoogleCloud", "GoogleMeet", "GoogleChat", "GoogleClassroom",
            "GoogleCall", "YouTube", "YouTubeUpload", "Crashlytics", "DoH_DoT", "Facebook", "FacebookMessenger",
            "Instagram", "Threads", "WhatsApp", "WhatsAppFiles", "NetFlix", "Amazon", "AmazonAWS", "AmazonVideo",
            "AmazonAlexa", "Twitch", "Microsoft", "Azure", "WindowsUpdate", "Microsoft365", "Outlook", "Teams",
            "Skype_Teams", "MS_OneDrive", "Xbox", "LinkedIn", "Github", "Apple", "AppleiCloud", "AppleiTunes",
            "AppleTVPlus", "AppleStore", "ApplePush", "AppleSiri", "iCloudPrivateRelay", "OCSP", "Zoom", "Webex",
            "Slack", "GoTo", "Discord", "GitLab", "TeamViewer", "AnyDesk", "Salesforce", "Bloomberg", "Pastebin",
            "Fuze", "AdobeConnect", "OCS", "Dropbox", "Cloudflare", "CloudflareWarp", "Edgecast", "Cachefly",
            "UbuntuONE", "Twitter", "TikTok", "Reddit", "Pinterest", "Snapchat", "Tumblr", "VK", "Badoo", "Likee",
            "Bluesky", "Mastodon", "Telegram", "Signal", "Viber", "Line", "WeChat", "QQ", "Tencent", "TencentVideo",
            "KakaoTalk", "Threema", "IMO", "DingTalk", "Sina", "SinaWeibo", "Hulu", "DisneyPlus", "HBO", "Dazn",
            "Spotify", "Deezer", "SoundCloud", "Tidal", "Pandora", "LastFM", "IHeartRadio", "TuneIn",
            "SiriusXMRadio", "Vimeo", "Livestream", "Dailymotion", "iQIYI", "1kxun", "IFLIX", "Zattoo", "DirecTV",
            "Vudu", "Showtime", "eBay", "Yahoo", "Wikipedia", "CNN", "AccuWeather", "Yandex", "YandexMail",
            "YandexMusic", "YandexDisk", "YandexCloud", "YandexMarket", "YandexMetrika", "YandexDirect", "Alibaba",
            "AliCloud", "Xiaomi", "Huawei", "HuaweiCloud", "Steam", "Playstation", "Nintendo", "EpicGames",
            "Roblox", "Activision", "RiotGames", "ElectronicArts", "GenshinImpact", "AmongUs", "GeForceNow",
            "Nvidia", "TunnelBear", "NordVPN", "ProtonVPN", "SurfShark", "Mullvad", "PrivateInternetAccess",
            "HotspotShield", "Psiphon", "UltraSurf", "OperaVPN", "Tailscale", "Tor", "ntop", "Ookla", "RipeAtlas",
            "OpenDNS", "AVAST", "Waze", "DataSaver", "MerakiCloud", "ADS_Analytic_Track",
            // issue 15 breadth: services of nDPI's reference list known by their domains
            "AVASTSecureDNS", "Citrix", "Crossfire", "Dofus", "FortiClient", "GaijinEntertainment", "Guildwars",
            "Heroes_of_the_Storm", "LoLWildRift", "MapleStory", "NetEaseGames", "PathofExile", "Pluralsight",
            "Roughtime", "SD-RTN", "Softether", "Sonos", "Starcraft", "TES_Online", "TeslaServices",
            "TencentGames", "TocaBoca", "TruPhone", "Warcraft3", "WorldOfWarcraft", "i3D",
            // services-endpoints.rules / services-breadth.rules
            "DNScrypt", "Cybersec");

    private static ServiceCatalog of(String rules) throws IOException {
        ServiceCatalog c = new ServiceCatalog();
        c.load(new BufferedReader(new StringReader(rules)), "test.rules");
        return c;
    }

    @Test
    void mostSpecificSuffixWins() throws IOException {
        ServiceCatalog c = of("""
                google.com        Google  Web
                mail.google.com   GMail   Email   # a comment
                youtube.com       YouTube Media
                """);
        assertThat(c.lookup("google.com").name()).isEqualTo("Google");
        assertThat(c.lookup("www.google.com").name()).isEqualTo("Google");
        assertThat(c.lookup("mail.google.com").name()).isEqualTo("GMail");
        assertThat(c.lookup("x.mail.google.com").name()).isEqualTo("GMail");
        assertThat(c.lookup("MAIL.Google.COM.").name()).isEqualTo("GMail");
        assertThat(c.lookup("notgoogle.com")).isNull();
        assertThat(c.lookup("google.com.evil.example")).isNull();
        assertThat(c.lookup("com")).isNull();
        assertThat(c.lookup(null)).isNull();
        assertThat(c.lookup("")).isNull();
    }

    @Test
    void severalSuffixesOnOneLineAndWildcardForms() throws IOException {
        ServiceCatalog c = of("""
                a.example b.example *.c.example .d.example  Svc  Web
                ocsp*   OCSP  Network
                """);
        for (String h : new String[] {"a.example", "x.b.example", "c.example", "y.d.example"}) {
            assertThat(c.lookup(h)).as(h).isEqualTo(new Service("Svc", "Web"));
        }
        assertThat(c.lookup("ocsp.digicert.com").name()).isEqualTo("OCSP");
        assertThat(c.lookup("ocsp2.globalsign.com").name()).isEqualTo("OCSP");
        assertThat(c.lookup("www.ocsp.example")).isNull(); // only the first label
        assertThat(c.lookup("ocsp")).isNull();
        assertThat(c.size()).isEqualTo(5);
    }

    @Test
    void longestLabelPatternWinsWhateverTheOrder() throws IOException {
        ServiceCatalog c = of("""
                ig*               Other      Web
                igcdn*            Instagram  SocialNetwork
                i*                Short      Web
                """);
        assertThat(c.lookup("igcdn-photos-a-a.akamaihd.net").name()).isEqualTo("Instagram");
        assertThat(c.lookup("ig2.example.com").name()).isEqualTo("Other");
        assertThat(c.lookup("ix.example.com").name()).isEqualTo("Short");
        assertThat(c.lookup("igcdn")).isNull();                      // a bare word is not a host
        assertThat(c.lookup("a.igcdn.example.com")).isNull();        // only the first label
        assertThat(c.lookup("igc.example.com").name()).isEqualTo("Other");
    }

    @Test
    void bundledCatalogHoldsThousandsOfRulesAndLoadsOnce() {
        ServiceCatalog c = ServiceCatalog.bundled();
        assertThat(c.size()).isGreaterThan(1900);
        assertThat(c.lookup("igcdn-photos-a-a.akamaihd.net").name()).isEqualTo("Instagram");
        assertThat(c.lookup("feodotracker.abuse.ch").name()).isEqualTo("Cybersec");
        assertThat(c.lookup("simplednscrypt.org").name()).isEqualTo("DNScrypt");
        assertThat(c.lookup("dns.quad9.net").name()).isEqualTo("DoH_DoT");
        assertThat(c.lookup("login.tailscale.com").name()).isEqualTo("Tailscale");
        // services.rules is read last and wins over the two other files for the same suffix
        assertThat(c.lookup("mail.google.com").name()).isEqualTo("GMail");
    }

    @Test
    void wholeHostRuleBeatsLabelPatternWhichBeatsParentDomain() throws IOException {
        ServiceCatalog c = of("""
                ocsp*             OCSP    Network
                apple.com         Apple   Web
                ocsp.apple.com    Special Web
                """);
        assertThat(c.lookup("ocsp.apple.com").name()).isEqualTo("Special");
        assertThat(c.lookup("ocsp2.apple.com").name()).isEqualTo("OCSP");
        assertThat(c.lookup("www.apple.com").name()).isEqualTo("Apple");
    }

    @Test
    void userFileAddsAndOverrides(@TempDir Path dir) throws IOException {
        ServiceCatalog c = ServiceCatalog.bundled();
        assertThat(c.lookup("www.netflix.com").name()).isEqualTo("NetFlix");
        Path f = dir.resolve("mine.rules");
        Files.writeString(f, """
                # our own rules
                netflix.com         MyVideo     Video
                intranet.example    Intranet    Collaborative
                """);
        c.load(f);
        assertThat(c.lookup("www.netflix.com")).isEqualTo(new Service("MyVideo", "Video"));
        assertThat(c.lookup("wiki.intranet.example")).isEqualTo(new Service("Intranet", "Collaborative"));
        assertThat(c.lookup("nflxvideo.net").name()).isEqualTo("NetFlix"); // untouched rules stay
    }

    @Test
    void rejectsBadSuffixesAndNames() {
        assertThatThrownBy(() -> of("exa mple.com!  App Web")).hasMessageContaining("test.rules line 1").hasMessageContaining("mple.com!");
        assertThatThrownBy(() -> of("a..b App Web")).hasMessageContaining("not a domain suffix");
        assertThatThrownBy(() -> of("* App Web")).hasMessageContaining("not a domain suffix");
        // fields in the wrong order: the "category" would be a domain
        assertThatThrownBy(() -> of("\n\nGoogle Web google.com")).hasMessageContaining("test.rules line 3").hasMessageContaining("application category");
    }

    @Test
    void bundledRulesUseNdpiSpellingAndCoverTheBigServices() {
        ServiceCatalog c = ServiceCatalog.bundled();
        assertThat(c.size()).isGreaterThan(600);
        String[][] expect = {
            {"www.google.com", "Google", "Web"},
            {"fonts.googleapis.com", "GoogleServices", "Web"},
            {"maps.googleapis.com", "GoogleMaps", "Web"},
            {"drive.google.com", "GoogleDrive", "Cloud"},
            {"docs.google.com", "GoogleDocs", "Collaborative"},
            {"mail.google.com", "GMail", "Email"},
            {"android.clients.google.com", "PlayStore", "SoftwareUpdate"},
            {"r4---sn-4g5ednsz.googlevideo.com", "YouTube", "Media"},
            {"i.ytimg.com", "YouTube", "Media"},
            {"scontent.xx.fbcdn.net", "Facebook", "SocialNetwork"},
            {"www.instagram.com", "Instagram", "SocialNetwork"},
            {"e1.whatsapp.net", "WhatsApp", "Chat"},
            {"occ-0-1234.1.nflxso.net", "NetFlix", "Video"},
            {"ipv4-c001-xyz.1.oca.nflxvideo.net", "NetFlix", "Video"},
            {"www.amazon.de", "Amazon", "Web"},
            {"s3.eu-west-1.amazonaws.com", "AmazonAWS", "Cloud"},
            {"d111111abcdef8.cloudfront.net", "AmazonAWS", "Cloud"},
            {"atv-ps-eu.amazon.com", "AmazonVideo", "Video"},
            {"teams.microsoft.com", "Teams", "Collaborative"},
            {"login.live.com", "Microsoft", "Cloud"},
            {"outlook.live.com", "Outlook", "Email"},
            {"au.download.windowsupdate.com", "WindowsUpdate", "SoftwareUpdate"},
            {"gateway.icloud.com", "AppleiCloud", "Web"},
            {"1-courier.push.apple.com", "ApplePush", "Cloud"},
            {"us04web.zoom.us", "Zoom", "Video"},
            {"audio-fa.scdn.co", "Spotify", "Music"},
            {"pbs.twimg.com", "Twitter", "SocialNetwork"},
            {"api.x.com", "Twitter", "SocialNetwork"},
            {"v16-webapp.tiktok.com", "TikTok", "SocialNetwork"},
            {"ocsp.digicert.com", "OCSP", "Network"},
            {"cloudflare-dns.com", "DoH_DoT", "Network"},
            {"dns.google", "DoH_DoT", "Network"},
            {"www.disneyplus.com", "DisneyPlus", "Streaming"},
        };
        for (String[] e : expect) {
            assertThat(c.lookup(e[0])).as(e[0]).isEqualTo(new Service(e[1], e[2]));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"services-endpoints.rules", "services-breadth.rules", "services.rules"})
    void everyBundledRuleNamesAKnownNdpiApplicationAndCategory(String file) throws IOException {
        try (var in = ServiceCatalog.class.getResourceAsStream(file)) {
            assertThat(in).isNotNull();
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].replaceAll("#.*", "").strip();
                if (l.isEmpty()) {
                    continue;
                }
                String[] f = l.split("\\s+");
                assertThat(NDPI_APPLICATIONS).as(file + ": application on line " + (i + 1)).contains(f[f.length - 2]);
                assertThat(NDPI_CATEGORIES).as(file + ": category on line " + (i + 1)).contains(f[f.length - 1]);
            }
        }
    }
}
